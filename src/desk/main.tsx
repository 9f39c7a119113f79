import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Principal } from '../shared/identity';
import { forgetKey, hasKey, whoami } from './api';
import { ContractScreen } from './contract';
import { ContractsScreen } from './contracts';
import { HistoryScreen } from './history';
import { SignIn } from './sign-in';
import { Loading } from './ui';

/** The screen the location's hash names: `#/`, `#/closed`, `#/contracts/<id>`, `#/contracts/<id>/history`. Never the key. */
function screenOf(hash: string, me: Principal) {
  const [, contractId, history] = /^#\/contracts\/([\w-]+)(\/history)?$/.exec(hash) ?? [];
  if (!contractId) return <ContractsScreen me={me} closed={hash === '#/closed'} />;
  return history ? <HistoryScreen contractId={contractId} me={me} /> : <ContractScreen key={contractId} contractId={contractId} me={me} />;
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function Desk() {
  const [me, setMe] = useState<Principal>();
  // A reload keeps the tab's key: ask the API whose it is (a revoked key signs out).
  const [resuming, setResuming] = useState(hasKey());
  const hash = useHash();
  useEffect(() => {
    if (resuming)
      whoami()
        .then(setMe, forgetKey)
        .finally(() => setResuming(false));
  }, []);
  if (resuming) return <Loading what="your session" />;
  if (!me) return <SignIn onSignedIn={setMe} />;
  const signOut = () => {
    forgetKey();
    setMe(undefined);
    location.hash = '';
  };
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>
        <a href="#/" class="home">
          Handover desk
        </a>
        <span class="who">
          {me.role}
          {me.partyId && ` · ${me.partyId}`} · key {me.keyId}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screenOf(hash, me)}
      </main>
    </>
  );
}

render(<Desk />, document.getElementById('desk')!);
