import type { ComponentChildren } from 'preact';
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

/** The party a brand or operator key acts as: its role. */
type Side = 'brand' | 'operator';
const sideOf = (me: Principal): Side | undefined => (me.role === 'brand' || me.role === 'operator' ? me.role : undefined);

/** Who may complete an item (the API decides; this only chooses which buttons to offer, as src/contracts/domain/access.ts rules). */
function mayComplete(me: Principal, item: Item): boolean {
  const side = sideOf(me);
  if (me.role === 'coordinator') return item.kind !== 'final_settlement';
  if (side) return item.responsibleParty === side || item.responsibleParty === 'both';
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

/** One input of a form, labelled, with its hint and its problem tied to it for assistive technology. */
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
  const shownProblem = problem && (
    <p id={`${id}-problem`} class="field-problem">
      {problem}
    </p>
  );
  if (spec.input === 'yes') {
    return (
      <div class="field check">
        <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />
        <label for={id}>{spec.label}</label>
        {shownProblem}
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
      {spec.input === 'lines' || spec.input === 'paragraph' ? (
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
      {shownProblem}
    </div>
  );
}

/** Each field's problem: checked here as the API checks it; none, and the step was sent. */
type Act = (entries: Entries) => Promise<Record<string, string> | void>;

/**
 * The form of one step on a checklist (evidence, a waiver, a dispute, a
 * sign-off): `act` checks the entries and sends them; a field's problem
 * takes the focus, the API's refusal is shown as it says it.
 */
function StepForm({
  id,
  label,
  fields,
  submit,
  act,
  onDone,
  children,
}: {
  /** Prefix of the fields' ids, unique on the page. */
  id: string;
  label: string;
  fields: Readonly<Record<string, FieldSpec>>;
  submit: string;
  act: Act;
  onDone?: () => void;
  children?: ComponentChildren;
}) {
  const [entries, setEntries] = useState<Entries>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<Refusal>();
  const [sending, setSending] = useState(false);

  async function onSubmit(event: Event) {
    event.preventDefault();
    setRefusal(undefined);
    setSending(true);
    try {
      const found = (await act(entries)) ?? {};
      setProblems(found);
      const first = Object.keys(found)[0];
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      else onDone?.();
    } catch (error) {
      setRefusal(asRefusal(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <form class="step" onSubmit={(event) => void onSubmit(event)} noValidate aria-label={label}>
      {children}
      {Object.entries(fields).map(([field, spec]) => (
        <Field
          key={field}
          id={`${id}-${field}`}
          spec={spec}
          value={entries[field]}
          problem={problems[field]}
          onChange={(value) => setEntries({ ...entries, [field]: value })}
        />
      ))}
      <Problem refusal={refusal} />
      <button type="submit" disabled={sending}>
        {submit}
      </button>
    </form>
  );
}

/** A form of required text fields that posts them, with the key's party, to a step of the checklist. */
function PartyStepForm({ side, url, fields, ...form }: { side: Side; url: string } & Omit<Parameters<typeof StepForm>[0], 'act'>) {
  const act: Act = async (entries) => {
    const values = Object.fromEntries(Object.keys(fields).map((field) => [field, String(entries[field] ?? '').trim()]));
    const missing = Object.keys(fields).filter((field) => !values[field]);
    if (missing.length > 0) return Object.fromEntries(missing.map((field) => [field, 'Required.']));
    await call('POST', url, { party: side, ...values });
  };
  return <StepForm {...form} fields={fields} act={act} />;
}

const REASON = { reason: { label: 'Reason', input: 'paragraph' } } as const;
const SIGNATORY = { signatory: { label: 'Signatory', input: 'text' } } as const;

/** How an item was settled, or what is pending on it: its evidence, who and when; a waiver; a dispute. */
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
  if ('waiver' in item && item.waiver) {
    const { reason, proposedBy, agreedBy, signatory } = item.waiver;
    return <Facts facts={[['Waived', `${reason} (proposed by the ${proposedBy}; agreed by the ${agreedBy}, ${signatory})`]]} />;
  }
  // Still open: a waiver awaiting the other party, a dispute (Facts leaves out what is not there).
  const proposed = 'waiverProposed' in item ? item.waiverProposed : undefined;
  const dispute = 'dispute' in item ? item.dispute : undefined;
  return (
    <Facts
      facts={[
        [`Waiver proposed by the ${proposed?.proposedBy}`, proposed?.reason],
        [`Disputed by the ${dispute?.disputedBy}`, dispute?.reason],
      ]}
    />
  );
}

/** The parties' steps on an item besides completing it: where each posts, and its form. */
const PARTY_STEPS = {
  waive: { button: 'Propose a waiver…', path: 'waiver', label: 'Propose a waiver', fields: REASON, submit: 'Propose the waiver' },
  agree: {
    button: 'Agree to the waiver…',
    path: 'waiver/agreement',
    label: 'Agree to the waiver',
    fields: SIGNATORY,
    submit: 'Agree to waive it',
  },
  dispute: { button: 'Dispute…', path: 'dispute', label: 'Dispute the item', fields: REASON, submit: 'Record the dispute' },
} as const;
type Step = 'complete' | keyof typeof PARTY_STEPS;

/** The steps the key may take on an item (the API decides; this only chooses which buttons to offer, as handover-steps.ts rules). */
function stepsOn(me: Principal, item: Item): Step[] {
  if (item.status === 'completed' || item.status === 'waived') return [];
  const side = sideOf(me);
  const proposed = 'waiverProposed' in item ? item.waiverProposed : undefined;
  return [
    mayComplete(me, item) && 'complete',
    // A waiver: one party proposes (never of the final settlement, which is settled at zero instead), the other agrees.
    side && !proposed && item.kind !== 'final_settlement' && 'waive',
    side && proposed && proposed.proposedBy !== side && 'agree',
    side && item.status !== 'disputed' && 'dispute',
  ].filter((step): step is Step => typeof step === 'string');
}

/** The form of a step on an item, once its button opened it. */
function StepOn({ step, item, me, path, onDone }: { step: Step; item: Item; me: Principal; path: string; onDone: () => void }) {
  const url = `${path}/items/${item.itemId}`;
  if (step !== 'complete') {
    const { path: to, label, fields, submit } = PARTY_STEPS[step];
    // A party step is offered to a party's key only (stepsOn).
    const side = sideOf(me)!;
    return <PartyStepForm id={`${item.itemId}-${step}`} side={side} url={`${url}/${to}`} {...{ label, fields, submit, onDone }} />;
  }
  const kind: HandoverItemKind = item.kind;
  const act: Act = async (entries) => {
    const checked = await evidenceFrom(kind, entries);
    if ('problems' in checked) return checked.problems;
    await call('POST', `${url}/completion`, { evidence: checked.evidence });
  };
  // The evidence fields' ids are the item's id and the field's name, as before waivers and disputes had forms.
  const fields: Readonly<Record<string, FieldSpec>> = FORMS[kind];
  return (
    <StepForm id={item.itemId} label={`Evidence: ${words(kind)}`} fields={fields} submit="Record completion" act={act} onDone={onDone} />
  );
}

function ItemCard({ item, me, path, readOnly }: { item: Item; me: Principal; path: string; readOnly: boolean }) {
  const [open, setOpen] = useState<Step>();
  const steps = readOnly ? [] : stepsOn(me, item);
  return (
    <li class={`item item-${item.status}`} data-item={item.itemId}>
      <h3>{item.subject}</h3>
      <p class="meta">
        <Badge status={item.status} /> {words(item.kind)} · responsible: {item.responsibleParty}
      </p>
      <Settled item={item} />
      {steps.length > 0 && (
        <div class="steps">
          {steps.map((step) => (
            <button
              key={step}
              type="button"
              class="secondary"
              aria-expanded={open === step}
              onClick={() => setOpen(open === step ? undefined : step)}
            >
              {open === step ? 'Cancel' : step === 'complete' ? 'Complete…' : PARTY_STEPS[step].button}
            </button>
          ))}
        </div>
      )}
      {open && steps.includes(open) && <StepOn key={open} step={open} item={item} me={me} path={path} onDone={() => setOpen(undefined)} />}
    </li>
  );
}

const SIGN_OFF = { signatory: SIGNATORY.signatory, signedOffOn: { label: 'Signed off on', input: 'date' } } as const;

/** A checklist's progress, due date, items, sign-offs and, for a party, its sign-off; read-only when it shows the past. */
export function ChecklistView({
  checklist,
  dueOn,
  me,
  path,
  title,
  readOnly = false,
}: {
  checklist: Checklist;
  /** The day the handover is due (the handover period after it started). */
  dueOn?: string;
  me: Principal;
  path: string;
  title: string;
  readOnly?: boolean;
}) {
  const side = sideOf(me);
  const signOffs = Object.entries(checklist.signOffs);
  const signedOff = signOffs.length === 2;
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {dueOn && <p class="meta">{signedOff ? `Was due on ${dueOn}; signed off by both parties.` : `Due on ${dueOn}.`}</p>}
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
      {!readOnly && side && checklist.canSignOff && !checklist.signOffs[side] && (
        <PartyStepForm
          id={`${path.replace(/\W+/g, '-')}-sign-off`}
          side={side}
          url={`${path}/sign-offs`}
          label="Sign off"
          fields={SIGN_OFF}
          submit="Sign off"
        >
          <h3>Sign off as the {side}</h3>
        </PartyStepForm>
      )}
    </section>
  );
}
