import { useState } from 'preact/hooks';
import type { Principal } from '../shared/identity';
import { forgetKey, rememberKey, whoami, type Refusal } from './api';
import { asRefusal, Heading, Problem } from './ui';

/**
 * Sign-in with an API key: the form is submitted by script only (the page's
 * policy forbids a browser submission, which could put the key in a URL),
 * and the key is kept for this tab alone.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Principal) => void }) {
  const [key, setKey] = useState('');
  const [refusal, setRefusal] = useState<Refusal>();
  async function submit(event: Event) {
    event.preventDefault();
    rememberKey(key.trim());
    try {
      onSignedIn(await whoami());
    } catch (error) {
      forgetKey();
      setRefusal(asRefusal(error));
    }
  }
  return (
    <main id="main" class="sign-in">
      <Heading>Handover desk</Heading>
      <p>See what must still come back at the end of a contract, and prove what came back.</p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="Sign in">
        <div class="field">
          <label for="api-key">API key</label>
          <p id="api-key-hint" class="hint">
            The key you were given (chk_…). It is kept in this tab only, and forgotten when you sign out or close it.
          </p>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            aria-describedby="api-key-hint"
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
        </div>
        <Problem refusal={refusal} />
        <button type="submit" disabled={key.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
