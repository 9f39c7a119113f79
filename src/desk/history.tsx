import { useState } from 'preact/hooks';
import type { ContractView, HandoverView } from '../contracts/read-side/views';
import { isInstant } from '../shared/calendar';
import type { Principal } from '../shared/identity';
import { call, Refusal } from './api';
import { ContractDetails, Handovers } from './contract';
import { Heading, Loading, Problem, useLoad, words } from './ui';

/** One event as GET /contracts/:id/events answers it (src/audit/history.ts). */
interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly actor?: string; readonly effectiveOn?: string };
}

/** The integrity verdict (src/audit/hash-chain.ts). */
type Verdict =
  | { readonly ok: true; readonly events: number; readonly head?: { readonly revision: number; readonly hash: string } }
  | { readonly ok: false; readonly events: number; readonly brokenAt: { readonly revision: number; readonly reason: string } };

/** A moment of the contract's past: a revision, or an instant with its offset. */
type Moment = { readonly revision: number } | { readonly asOf: string };
const queryOf = (moment: Moment) => ('revision' in moment ? `revision=${moment.revision}` : `asOf=${encodeURIComponent(moment.asOf)}`);

/** Every event, page after page. */
async function wholeHistory(contractId: string): Promise<HistoryEntry[]> {
  const events: HistoryEntry[] = [];
  for (let from: number | null = 0; from !== null;) {
    const page: { events: HistoryEntry[]; nextFrom: number | null } = await call(
      'GET',
      `/contracts/${contractId}/events?from=${from}&limit=1000`,
    );
    events.push(...page.events);
    from = page.nextFrom;
  }
  return events;
}

/** The contract and its handover as they stood at a moment (no handover then: null). */
async function asItStood(contractId: string, moment: Moment) {
  const contract = await call<ContractView>('GET', `/contracts/${contractId}?${queryOf(moment)}`);
  const handover = await call<HandoverView>('GET', `/contracts/${contractId}/handover?${queryOf(moment)}`).catch((error: unknown) => {
    if (error instanceof Refusal && error.status === 404) return null;
    throw error;
  });
  return { contract, handover };
}

/** What an event says, briefly: its short plain values. */
const gist = (data: Record<string, unknown>) =>
  Object.entries(data)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value) && String(value).length <= 80)
    .slice(0, 4)
    .map(([field, value]) => `${words(field)}: ${String(value)}`)
    .join(' · ');

function VerdictBanner({ verdict }: { verdict: Verdict }) {
  return verdict.ok ? (
    <p class="verdict verdict-ok" role="status">
      Integrity verified: the hash chain of all {verdict.events} events is intact
      {verdict.head && `; head ${verdict.head.hash.slice(0, 16)}… at revision ${verdict.head.revision}`}.
    </p>
  ) : (
    <p class="verdict verdict-broken" role="alert">
      Integrity broken at revision {verdict.brokenAt.revision}: {verdict.brokenAt.reason} ({verdict.events} events verified before it).
    </p>
  );
}

/** Choose a moment: a revision, or an instant; checked as the API checks it. */
function MomentForm({ last, onMoment }: { last: number; onMoment: (moment: Moment) => void }) {
  const [revision, setRevision] = useState(String(last));
  const [asOf, setAsOf] = useState('');
  const [problem, setProblem] = useState<string>();
  return (
    <div class="moments">
      <form
        aria-label="Go to a revision"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onMoment({ revision: Number(revision) });
        }}
      >
        <label for="revision">Revision (0 to {last})</label>
        <input
          id="revision"
          type="number"
          min={0}
          max={last}
          value={revision}
          onInput={(event) => setRevision(event.currentTarget.value)}
        />
        <button type="submit">Show this revision</button>
      </form>
      <form
        aria-label="Go to an instant"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setProblem(isInstant(asOf.trim()) ? undefined : 'An ISO 8601 time with its offset, e.g. 2028-04-02T10:00:00+08:00.');
          if (isInstant(asOf.trim())) onMoment({ asOf: asOf.trim() });
        }}
      >
        <label for="as-of">Instant</label>
        <p id="as-of-hint" class="hint">
          Date and time with its offset, e.g. 2028-04-02T10:00:00+08:00
        </p>
        <input
          id="as-of"
          autoComplete="off"
          aria-describedby={problem ? 'as-of-hint as-of-problem' : 'as-of-hint'}
          aria-invalid={problem ? true : undefined}
          value={asOf}
          onInput={(event) => setAsOf(event.currentTarget.value)}
        />
        {problem && (
          <p id="as-of-problem" class="field-problem">
            {problem}
          </p>
        )}
        <button type="submit">Show as of this instant</button>
      </form>
    </div>
  );
}

/** The contract at the chosen moment, read-only. */
function Past({ contractId, moment, me }: { contractId: string; moment: Moment; me: Principal }) {
  const past = useLoad(() => asItStood(contractId, moment), [contractId, queryOf(moment)]);
  const label = 'revision' in moment ? `at revision ${moment.revision}` : `as of ${moment.asOf}`;
  return (
    <section aria-label="The contract in the past" aria-busy={past.loading}>
      <Heading key={label} level={2}>
        The contract {label}
      </Heading>
      <Problem refusal={past.refusal} />
      {past.loading && <Loading what={`the contract ${label}`} />}
      {past.value && (
        <>
          <p class="meta">Status then: {words(past.value.contract.status)}</p>
          {past.value.handover ? (
            <Handovers contractId={contractId} view={past.value.handover} me={me} readOnly />
          ) : (
            <p>No handover had started then.</p>
          )}
          <ContractDetails contract={past.value.contract} open={false} />
        </>
      )}
    </section>
  );
}

/** The auditor's view: the history as a timeline, the integrity verdict, and the contract at any revision or instant. */
export function HistoryScreen({ contractId, me }: { contractId: string; me: Principal }) {
  const history = useLoad(async () => {
    const [events, verdict] = await Promise.all([wholeHistory(contractId), call<Verdict>('GET', `/contracts/${contractId}/integrity`)]);
    return { events, verdict };
  }, [contractId]);
  const [moment, setMoment] = useState<Moment>();
  const events = history.value?.events ?? [];
  return (
    <>
      <Heading>History of the contract</Heading>
      <p>
        <a href={`#/contracts/${contractId}`}>Back to the contract as it stands</a>
      </p>
      <Problem refusal={history.refusal} />
      {history.loading && <Loading what="the history" />}
      {history.value && (
        <>
          <VerdictBanner verdict={history.value.verdict} />
          <MomentForm last={events.length - 1} onMoment={setMoment} />
          {moment && <Past contractId={contractId} moment={moment} me={me} />}
          <section aria-label="Timeline">
            <h2>Timeline ({events.length} events)</h2>
            <ol class="timeline">
              {events.map((event) => (
                <li key={event.revision}>
                  <p>
                    <strong>
                      {event.revision}. {words(event.type)}
                    </strong>{' '}
                    <span class="meta">
                      by {event.metadata.actor ?? 'unknown'} · recorded <time dateTime={event.recordedAt}>{event.recordedAt}</time>
                      {event.metadata.effectiveOn && ` · effective ${event.metadata.effectiveOn}`}
                    </span>
                  </p>
                  <p class="gist">{gist(event.data)}</p>
                  <button type="button" class="secondary" onClick={() => setMoment({ revision: event.revision })}>
                    See the contract at revision {event.revision}
                  </button>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </>
  );
}
