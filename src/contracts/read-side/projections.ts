import type Database from 'better-sqlite3';
import { contractView, handoverView } from './views';
import { CONTRACT_CATEGORY, toContractEvent } from '../application/contract-stream';
import { currentTerms } from '../domain/decide';
import { evolve, initialState, type ContractState, type ExistingContract } from '../domain/state';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { Projection } from '../../projections/projection';

type Row = Record<string, string | number | null>;

/** A contract as one projection's row holds it: its state folded up to `revision`. */
interface Folded {
  readonly revision: number;
  readonly state: ExistingContract;
}

/**
 * Contracts whose folded state each projection keeps in memory, the least
 * recently written forgotten first: a write folds its event into the state
 * kept rather than parsing the stored one, so its cost does not grow with the
 * contract's history. The rest are read from their rows. A contract is kept
 * from its second batch on (its row read once): most are written in one batch
 * and never again (a draft left alone, a rebuild folding a whole history at
 * a time), and keeping those would only make garbage.
 */
const KEPT_STATES = 1_024;

/**
 * The last fold of each event. Both projections fold the same event into the
 * same contract; the second takes the first's result when it holds the very
 * state the first folded (it does, unless an operator's skip made their states
 * differ): the event is checked and folded once. Lasts as long as the event.
 */
const folds = new WeakMap<RecordedEvent, { readonly before: ContractState; readonly after: ContractState }>();

function fold(before: ContractState, event: RecordedEvent): ContractState {
  const last = folds.get(event);
  if (last?.before === before) return last.after;
  const after = evolve(before, toContractEvent(event));
  folds.set(event, { before, after });
  return after;
}

/** The last stored state parsed: both projections read the same state from their rows (after a restart), and share one object, so the folds above do too. */
let lastParsed: { readonly json: string; readonly state: ExistingContract } | undefined;

function parseState(json: string): ExistingContract {
  if (lastParsed?.json !== json) lastParsed = { json, state: JSON.parse(json) as ExistingContract };
  return lastParsed.state;
}

/**
 * A read model with one row per contract: it folds each contract's events
 * with the domain's own `evolve` (so read models and the write side can never
 * disagree on what an event means) and stores the columns `render` derives.
 */
/**
 * What a contract row holds: the state folded by `evolve` and the columns
 * rendered from it. Bump it when either changes (2: terms carry the notice
 * period), so that read models written before are rebuilt, not misread.
 */
const CONTRACT_ROW_VERSION = 2;

function contractFolding(
  name: string,
  table: string,
  columns: Record<string, string>,
  render: (state: ExistingContract) => Row,
): Projection {
  const names = Object.keys(columns);
  const prefix = `${CONTRACT_CATEGORY}-`;
  return {
    name,
    version: CONTRACT_ROW_VERSION,
    tables: [table],
    // A row is one contract's stream folded: an event changes its own stream's row only.
    streamOf: (event) => (event.stream.length > prefix.length && event.stream.startsWith(prefix) ? event.stream : undefined),
    install(db: Database.Database) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        contract_id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        state TEXT NOT NULL,
        ${names.map((column) => `${column} ${columns[column]}`).join(',\n        ')}
      ) STRICT`);
      const revisionOf = db.prepare<[string], { revision: number }>(`SELECT revision FROM ${table} WHERE contract_id = ?`);
      const rowOf = db.prepare<[string], { revision: number; state: string }>(`SELECT revision, state FROM ${table} WHERE contract_id = ?`);
      const upsert = db.prepare(
        `INSERT INTO ${table} (contract_id, revision, state, ${names.join(', ')})
         VALUES (@contract_id, @revision, @state, ${names.map((column) => `@${column}`).join(', ')})
         ON CONFLICT (contract_id) DO UPDATE SET revision = excluded.revision, state = excluded.state,
         ${names.map((column) => `${column} = excluded.${column}`).join(', ')}`,
      );
      const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE contract_id = ?`);
      /** The states of rows read or written (see KEPT_STATES), least recently used first. */
      const kept = new Map<string, Folded>();
      /** Folded by the batch, not yet written. */
      const held = new Map<string, Folded>();

      const keep = (contractId: string, folded: Folded) => {
        kept.delete(contractId);
        kept.set(contractId, folded);
        if (kept.size > KEPT_STATES) kept.delete(kept.keys().next().value!);
      };

      // The contract as its row holds it, from memory when the row is still at the revision kept
      // (a rolled-back transaction, or a row forgotten, leaves it elsewhere: then the row is parsed).
      const stored = (contractId: string): Folded | undefined => {
        const revision = revisionOf.get(contractId)?.revision;
        if (revision === undefined) return undefined;
        const known = kept.get(contractId);
        if (known?.revision === revision) return known;
        const row = rowOf.get(contractId)!;
        const folded = { revision: row.revision, state: parseState(row.state) };
        keep(contractId, folded);
        return folded;
      };

      const hold = (event: RecordedEvent) => {
        if (!event.stream.startsWith(prefix)) return undefined;
        const contractId = event.stream.slice(prefix.length);
        const current = held.get(contractId) ?? stored(contractId);
        // Already applied: a redelivery after a restart between commit and acknowledgement.
        if (current && current.revision >= event.revision) return undefined;
        const state = fold(current?.state ?? initialState, event);
        if (state.status === 'none') return undefined;
        held.set(contractId, { revision: Number(event.revision), state });
        return contractId;
      };

      const flush = () => {
        try {
          for (const [contractId, { revision, state }] of held) {
            upsert.run({ contract_id: contractId, revision, state: JSON.stringify(state), ...render(state) });
            if (kept.has(contractId)) keep(contractId, { revision, state });
          }
        } finally {
          held.clear();
        }
      };

      return {
        apply(event: RecordedEvent) {
          const changed = hold(event);
          flush();
          return changed;
        },
        forget(stream: string) {
          const contractId = stream.slice(prefix.length);
          held.delete(contractId);
          kept.delete(contractId);
          remove.run(contractId);
        },
        batch: { hold, flush },
      };
    },
  };
}

/** Comma-fenced list, so that `LIKE '%,value,%'` matches whole values. */
const fenced = (values: readonly string[]) => `,${values.join(',')},`;

/** The contract summary and the contract list (filtered on its columns). */
export const contractsProjection = contractFolding(
  'contracts',
  'contract_summaries',
  {
    summary: 'TEXT NOT NULL',
    status: 'TEXT NOT NULL',
    brand_party_id: 'TEXT NOT NULL',
    operator_party_id: 'TEXT NOT NULL',
    scopes: 'TEXT NOT NULL',
    platforms: 'TEXT NOT NULL',
  },
  (state) => {
    const terms = currentTerms(state);
    const platforms = new Set([...terms.shops.map((shop) => shop.platform), ...state.accounts.map((account) => account.platform)]);
    return {
      summary: JSON.stringify(contractView(state)),
      status: state.status,
      brand_party_id: state.brand.partyId,
      operator_party_id: state.operator.partyId,
      scopes: fenced(terms.scopes),
      platforms: fenced([...platforms]),
    };
  },
);

/** The handover checklist of every terminated contract. */
export const handoverProjection = contractFolding('handover', 'handover_checklists', { checklist: 'TEXT' }, (state) => {
  const view = handoverView(state);
  return { checklist: view ? JSON.stringify(view) : null };
});

export const CONTRACT_PROJECTIONS: readonly Projection[] = [contractsProjection, handoverProjection];
