import { useState } from 'preact/hooks';
import type { HandoverItemKind } from '../contracts/domain/handover';
import type { HandoverView } from '../contracts/read-side/views';
import type { Principal } from '../shared/identity';
import { call, type Refusal } from './api';
import { evidenceFrom, FORMS, HINTS, type Entries, type FieldSpec } from './evidence';
import { asRefusal, Badge, Facts, Problem, Scroll, words, yuan } from './ui';

/** A checklist as the API shows it: a partial one, or the final one (on the handover view itself). */
type Checklist = Pick<HandoverView['partialHandovers'][number], 'items' | 'progress' | 'signOffs' | 'canSignOff'>;
type Item = Checklist['items'][number];

/** The final checklist, whose fields the handover view carries once the contract is terminated. */
export const finalChecklist = ({ items, progress, signOffs, canSignOff }: HandoverView): Checklist | undefined =>
  items && progress && signOffs && canSignOff !== undefined ? { items, progress, signOffs, canSignOff } : undefined;
type Counts = Checklist['progress'];

/** Who may complete an item (the API decides; this only chooses which buttons to offer, as src/contracts/domain/access.ts rules). */
function mayComplete(me: Principal, item: Item): boolean {
  if (item.status === 'completed' || item.status === 'waived') return false;
  if (me.role === 'coordinator') return item.kind !== 'final_settlement';
  if (me.role === 'brand' || me.role === 'operator') return item.responsibleParty === me.role || item.responsibleParty === 'both';
  return me.role === 'admin';
}

/** Done (completed or waived) against the whole, as a bar and in words. */
function ProgressBar({ counts, label }: { counts: Counts; label: string }) {
  const done = counts.completed + counts.waived;
  return (
    <div class="progress">
      <progress max={counts.total} value={done} aria-label={label} />
      <span>
        {done} of {counts.total} done · {counts.completed} completed · {counts.waived} waived · {counts.disputed} disputed · {counts.open}{' '}
        open
      </span>
    </div>
  );
}

/** Progress in all and per responsible party. */
export function Progress({ progress, label }: { progress: Counts; label: string }) {
  return (
    <div>
      <ProgressBar counts={progress} label={label} />
      <Scroll label={`${label}, by responsible party`}>
        <table class="by-party">
          <caption>By responsible party</caption>
          <thead>
            <tr>
              <th scope="col">Party</th>
              {(['completed', 'waived', 'disputed', 'open'] as const).map((status) => (
                <th scope="col" key={status}>
                  {words(status)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(progress.byResponsibleParty).map(([party, counts]) => (
              <tr key={party}>
                <th scope="row">{words(party)}</th>
                <td>{counts.completed}</td>
                <td>{counts.waived}</td>
                <td>{counts.disputed}</td>
                <td>{counts.open}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </div>
  );
}

/** One input of an evidence form, labelled, with its hint and its problem tied to it for assistive technology. */
function Field({
  id,
  spec,
  value,
  problem,
  onChange,
}: {
  id: string;
  spec: FieldSpec;
  value: string | boolean | undefined;
  problem?: string;
  onChange: (value: string | boolean) => void;
}) {
  const hint = HINTS[spec.input];
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-describedby': described, 'aria-invalid': problem ? true : undefined };
  if (spec.input === 'yes') {
    return (
      <div class="field check">
        <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />
        <label for={id}>{spec.label}</label>
        {problem && (
          <p id={`${id}-problem`} class="field-problem">
            {problem}
          </p>
        )}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <div class="field">
      <label for={id}>{spec.label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {spec.input === 'lines' ? (
        <textarea {...common} rows={3} value={text} onInput={(event) => onChange(event.currentTarget.value)} />
      ) : spec.input === 'date' ? (
        <input {...common} type="date" value={text} onInput={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={spec.input === 'yuan' ? 'decimal' : undefined}
          autoComplete="off"
          value={text}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      )}
      {problem && (
        <p id={`${id}-problem`} class="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The form of an item's evidence kind: checked here as the API checks it, then sent; the API's refusal is shown as it says it. */
function EvidenceForm({ item, path, onDone }: { item: Item; path: string; onDone: () => void }) {
  const [entries, setEntries] = useState<Entries>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<Refusal>();
  const [sending, setSending] = useState(false);
  const kind: HandoverItemKind = item.kind;
  const fields = Object.entries<FieldSpec>(FORMS[kind]);

  async function submit(event: Event) {
    event.preventDefault();
    setRefusal(undefined);
    setSending(true);
    try {
      const checked = await evidenceFrom(kind, entries);
      setProblems('problems' in checked ? checked.problems : {});
      if ('problems' in checked) return document.getElementById(`${item.itemId}-${Object.keys(checked.problems)[0]}`)?.focus();
      await call('POST', `${path}/items/${item.itemId}/completion`, { evidence: checked.evidence });
      onDone();
    } catch (error) {
      setRefusal(asRefusal(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <form class="evidence" onSubmit={(event) => void submit(event)} noValidate aria-label={`Evidence: ${words(kind)}`}>
      {fields.map(([field, spec]) => (
        <Field
          key={field}
          id={`${item.itemId}-${field}`}
          spec={spec}
          value={entries[field]}
          problem={problems[field]}
          onChange={(value) => setEntries({ ...entries, [field]: value })}
        />
      ))}
      <Problem refusal={refusal} />
      <button type="submit" disabled={sending}>
        Record completion
      </button>
    </form>
  );
}

/** How an item was settled: its evidence, who and when. */
function Settled({ item }: { item: Item }) {
  if ('completedBy' in item && item.completedBy) {
    const evidence = Object.entries(item.evidence).filter(([field]) => field !== 'kind');
    return (
      <Facts
        facts={[
          ['Completed by', item.completedBy],
          ['At', item.completedAt],
          ...evidence.map(([field, value]): [string, string] =>
            typeof value === 'number' && field.endsWith('Fen')
              ? [words(field.slice(0, -'Fen'.length)), yuan(value)]
              : [words(field), Array.isArray(value) ? value.join(', ') : String(value)],
          ),
        ]}
      />
    );
  }
  if ('waiver' in item && item.waiver) return <Facts facts={[['Waived', item.waiver.reason]]} />;
  if ('dispute' in item && item.dispute) return <Facts facts={[[`Disputed by the ${item.dispute.disputedBy}`, item.dispute.reason]]} />;
  return null;
}

function ItemCard({ item, me, path, readOnly }: { item: Item; me: Principal; path: string; readOnly: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`item item-${item.status}`} data-item={item.itemId}>
      <h3>{item.subject}</h3>
      <p class="meta">
        <Badge status={item.status} /> {words(item.kind)} · responsible: {item.responsibleParty}
      </p>
      <Settled item={item} />
      {!readOnly && mayComplete(me, item) && (
        <>
          <button type="button" class="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Cancel' : 'Complete…'}
          </button>
          {open && <EvidenceForm item={item} path={path} onDone={() => setOpen(false)} />}
        </>
      )}
    </li>
  );
}

/** A party's sign-off, once every item is done: the party is the key's own. */
function SignOff({ me, path }: { me: Principal & { role: 'brand' | 'operator' }; path: string }) {
  const [signatory, setSignatory] = useState('');
  const [signedOffOn, setSignedOffOn] = useState('');
  const [refusal, setRefusal] = useState<Refusal>();
  async function submit(event: Event) {
    event.preventDefault();
    try {
      await call('POST', `${path}/sign-offs`, { party: me.role, signatory: signatory.trim(), signedOffOn });
    } catch (error) {
      setRefusal(asRefusal(error));
    }
  }
  return (
    <form class="sign-off" onSubmit={(event) => void submit(event)} noValidate aria-label="Sign off">
      <h3>Sign off as the {me.role}</h3>
      <div class="field">
        <label for="signatory">Signatory</label>
        <input id="signatory" autoComplete="name" value={signatory} onInput={(event) => setSignatory(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="signed-off-on">Signed off on</label>
        <input id="signed-off-on" type="date" value={signedOffOn} onInput={(event) => setSignedOffOn(event.currentTarget.value)} />
      </div>
      <Problem refusal={refusal} />
      <button type="submit">Sign off</button>
    </form>
  );
}

/** A checklist's progress, items, sign-offs and, for a party, its sign-off; read-only when it shows the past. */
export function ChecklistView({
  checklist,
  me,
  path,
  title,
  readOnly = false,
}: {
  checklist: Checklist;
  me: Principal;
  path: string;
  title: string;
  readOnly?: boolean;
}) {
  const side = me.role === 'brand' || me.role === 'operator' ? (me as Principal & { role: 'brand' | 'operator' }) : undefined;
  const signOffs = Object.entries(checklist.signOffs);
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      <Progress progress={checklist.progress} label={`${title}: items done`} />
      <ol class="items">
        {checklist.items.map((item) => (
          <ItemCard key={item.itemId} item={item} me={me} path={path} readOnly={readOnly} />
        ))}
      </ol>
      {signOffs.length > 0 && (
        <Facts
          facts={signOffs.map(([party, signOff]) => [`Signed off by the ${party}`, `${signOff?.signatory}, ${signOff?.signedOffOn}`])}
        />
      )}
      {!readOnly && side && checklist.canSignOff && !checklist.signOffs[side.role] && <SignOff me={side} path={path} />}
    </section>
  );
}
