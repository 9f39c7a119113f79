import type Database from 'better-sqlite3';
import { contractListing } from './views';
import { deadlinesOf } from './deadlines';
import { CONTRACT_CATEGORY, toContractEvent } from '../application/contract-stream';
import { currentTerms } from '../domain/terms';
import { emptyLedger } from '../domain/ledger';
import { evolve, initialState, type ContractState, type ExistingContract } from '../domain/state';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { Projection } from '../../projections/projection';
import { DocumentParts, type Part } from '../../projections/document-parts';
import { WeighedLru } from '../../shared/weighed-lru';

type Row = Record<string, string | number | null>;

/** A contract as one projection's rows hold it: its state folded up to `revision`. */
export interface Folded {
  readonly revision: number;
  readonly state: ExistingContract;
  /** What its parts weigh stored (JSON characters, counting an element written again twice): the estimate of what it holds. */
  readonly partBytes: number;
}

/**
 * What a contract row holds: the state folded by `evolve`, stored as a head
 * and parts (see {@link CONTRACT_PARTS}), and the columns rendered from it.
 * Bump it when any of these changes (2: terms carry the notice period; 3: the
 * state in parts, the views rendered when read; 4: the checklist's rows
 * without the collections it does not show; 5: the ledger, and the summary's
 * charged and paid columns; 6: agreements proposed, partial handovers, waivers and disputes; 7: duty incidents, breach
 * notices and cures, the summary's ends_on and deadlines columns; 8: each handover's due date, and cure claims in
 * order), so that read models written
 * before are rebuilt, not misread.
 */
const CONTRACT_ROW_VERSION = 8;

/**
 * The state's collections that grow with the contract's history, each stored
 * one element a row: a write stores the elements its events changed, so its
 * cost does not grow with the history (see DocumentParts).
 */
const CONTRACT_PARTS = new DocumentParts([
  'amendments',
  'accounts',
  'authorizations',
  'incidents',
  'breaches',
  'proposals',
  'partialHandovers',
  'handover.items',
  'handover.completions',
  'handover.waiverProposals',
  'handover.waivers',
  'handover.disputes',
  'ledger.reports',
  'ledger.promotionSpends',
  'ledger.statements',
  'ledger.payments',
]);

/**
 * Contracts whose folded state each projection keeps in memory, the least
 * recently written forgotten first once they weigh more than this (by their
 * stored JSON; the heap they hold is a few times that): a write folds its
 * event into the state kept, and writes what changed against it, rather than
 * reading the stored one. The rest are read from their rows. A contract is
 * kept from its second batch on (its rows read once): most are written in
 * one batch and never again (a draft left alone, a rebuild folding a whole
 * history at a time), and keeping those would only make garbage.
 */
const KEPT_BYTES = 16 * 2 ** 20;

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

/** How a contract table and its parts are read: by the projection itself, and by the queries. */
export function contractRows(db: Database.Database, table: string) {
  const headOf = db.prepare<[string], { revision: number; head: string }>(`SELECT revision, head FROM ${table} WHERE contract_id = ?`);
  const partsOf = db.prepare<[string], Part>(
    `SELECT collection, ord, value FROM ${table}_parts WHERE contract_id = ? ORDER BY collection, ord`,
  );
  return {
    revisionOf: db.prepare<[string], { revision: number }>(`SELECT revision FROM ${table} WHERE contract_id = ?`),
    /** The contract's head row and parts as stored, if its rows hold it. */
    stored(contractId: string): { revision: number; head: string; parts: Part[]; partBytes: number } | undefined {
      const row = headOf.get(contractId);
      if (!row) return undefined;
      const parts = partsOf.all(contractId);
      return { ...row, parts, partBytes: parts.reduce((bytes, part) => bytes + part.value.length, 0) };
    },
    /** The contract as its rows hold it, if they hold it. */
    read(contractId: string): Folded | undefined {
      const row = this.stored(contractId);
      return (
        row && { revision: row.revision, state: CONTRACT_PARTS.assemble(row.head, row.parts) as ExistingContract, partBytes: row.partBytes }
      );
    },
  };
}

/**
 * The last stored state a projection read: both projections read the same
 * contract from their rows one after the other (after a restart), and share
 * one object when the rows hold the same, so the folds above are shared too.
 */
let lastRead: { readonly stored: string; readonly state: ExistingContract } | undefined;

function sharedRead(rows: ReturnType<typeof contractRows>, contractId: string): Folded {
  const { revision, head, parts, partBytes } = rows.stored(contractId)!;
  const stored = head + parts.map((part) => `\n${part.collection}\t${part.ord}\t${part.value}`).join('');
  if (lastRead?.stored !== stored) lastRead = { stored, state: CONTRACT_PARTS.assemble(head, parts) as ExistingContract };
  return { revision, state: lastRead.state, partBytes };
}

/**
 * A read model with one contract a row (and its parts): it folds each
 * contract's events with the domain's own `evolve` (so read models and the
 * write side can never disagree on what an event means) and stores the state
 * and the columns `render` derives. Views are rendered from the state when
 * read: what they hold grows with the history, and rendering them at each
 * write would make every write cost that.
 */
function contractFolding(
  name: string,
  table: string,
  columns: Record<string, string>,
  render: (state: ExistingContract) => Row,
  /** What of the state its rows hold (all of it unless said): folding goes on over what they hold after a restart, so it must not drop what `evolve` reads for what they keep. */
  holds: (state: ExistingContract) => ExistingContract = (state) => state,
  /** Columns queries look rows up by. */
  indexed: readonly string[] = [],
): Projection {
  const names = Object.keys(columns);
  const prefix = `${CONTRACT_CATEGORY}-`;
  const parts = `${table}_parts`;
  return {
    name,
    version: CONTRACT_ROW_VERSION,
    tables: [table, parts],
    // A row is one contract's stream folded: an event changes its own stream's rows only.
    streamOf: (event) => (event.stream.length > prefix.length && event.stream.startsWith(prefix) ? event.stream : undefined),
    install(db: Database.Database) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        contract_id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        head TEXT NOT NULL${names.map((column) => `,\n        ${column} ${columns[column]}`).join('')}
      ) STRICT;
      CREATE TABLE IF NOT EXISTS ${parts} (
        contract_id TEXT NOT NULL,
        collection TEXT NOT NULL,
        ord INTEGER NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (contract_id, collection, ord)
      ) STRICT, WITHOUT ROWID;
      ${indexed.map((column) => `CREATE INDEX IF NOT EXISTS ${table}_${column} ON ${table} (${column});`).join('\n')}`);
      const rows = contractRows(db, table);
      const upsert = db.prepare(
        `INSERT INTO ${table} (contract_id, revision, head${names.map((column) => `, ${column}`).join('')})
         VALUES (@contract_id, @revision, @head${names.map((column) => `, @${column}`).join('')})
         ON CONFLICT (contract_id) DO UPDATE SET revision = excluded.revision, head = excluded.head${names
           .map((column) => `, ${column} = excluded.${column}`)
           .join('')}`,
      );
      const writePart = db.prepare<[string, string, number, string]>(
        `INSERT OR REPLACE INTO ${parts} (contract_id, collection, ord, value) VALUES (?, ?, ?, ?)`,
      );
      const cutParts = db.prepare<[string, string, number]>(`DELETE FROM ${parts} WHERE contract_id = ? AND collection = ? AND ord >= ?`);
      const removeParts = db.prepare<[string]>(`DELETE FROM ${parts} WHERE contract_id = ?`);
      const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE contract_id = ?`);
      /** The states of rows read or written (see KEPT_BYTES). */
      const kept = new WeighedLru<string, Folded>(KEPT_BYTES);
      /** Folded by the batch, not yet written, with what the rows held before it. */
      const held = new Map<string, Omit<Folded, 'partBytes'> & { readonly stored: Folded | undefined }>();

      const keep = (contractId: string, folded: Folded, head: string) => kept.keep(contractId, folded, head.length + folded.partBytes);

      // The contract as its rows hold it, from memory when the row is still at the revision kept
      // (a rolled-back transaction, or a row forgotten, leaves it elsewhere: then the rows are read).
      const stored = (contractId: string): Folded | undefined => {
        const revision = rows.revisionOf.get(contractId)?.revision;
        if (revision === undefined) return undefined;
        const known = kept.get(contractId);
        if (known?.revision === revision) return known;
        const folded = sharedRead(rows, contractId);
        keep(contractId, folded, '');
        return folded;
      };

      const hold = (event: RecordedEvent) => {
        if (!event.stream.startsWith(prefix)) return undefined;
        const contractId = event.stream.slice(prefix.length);
        const before = held.get(contractId);
        const rows = before ? before.stored : stored(contractId);
        const current = before ?? rows;
        // Already applied: a redelivery after a restart between commit and acknowledgement.
        if (current && current.revision >= event.revision) return undefined;
        const state = fold(current?.state ?? initialState, event);
        if (state.status === 'none') return undefined;
        held.set(contractId, { revision: Number(event.revision), state, stored: rows });
        return contractId;
      };

      const flush = () => {
        try {
          for (const [contractId, { revision, state, stored }] of held) {
            const held = holds(state);
            const head = CONTRACT_PARTS.head(held);
            upsert.run({ contract_id: contractId, revision, head, ...render(state) });
            const changes = CONTRACT_PARTS.changes(stored && holds(stored.state), held);
            let partBytes = stored?.partBytes ?? 0;
            for (const part of changes.written) {
              writePart.run(contractId, part.collection, part.ord, part.value);
              partBytes += part.value.length;
            }
            for (const end of changes.endsAt) cutParts.run(contractId, end.collection, end.from);
            if (kept.has(contractId)) keep(contractId, { revision, state, partBytes }, head);
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
          removeParts.run(contractId);
          remove.run(contractId);
        },
        batch: { hold, flush },
      };
    },
  };
}

/** Comma-fenced list, so that `LIKE '%,value,%'` matches whole values. */
const fenced = (values: readonly string[]) => `,${values.join(',')},`;

/** The contract summary, and the contract list (filtered on its columns, its items from `listing`). */
export const contractsProjection = contractFolding(
  'contracts',
  'contract_summaries',
  {
    listing: 'TEXT NOT NULL',
    status: 'TEXT NOT NULL',
    brand_party_id: 'TEXT NOT NULL',
    operator_party_id: 'TEXT NOT NULL',
    scopes: 'TEXT NOT NULL',
    platforms: 'TEXT NOT NULL',
    charged_fen: 'INTEGER NOT NULL',
    paid_fen: 'INTEGER NOT NULL',
    /** The end of the term in force while the contract runs (NULL otherwise): what the expiry scheduler looks for. */
    ends_on: 'TEXT',
    /** The contract's deadlines (deadlinesOf), JSON: what the deadlines list and calendar feed read. */
    deadlines: 'TEXT NOT NULL',
  },
  (state) => {
    const terms = currentTerms(state);
    const platforms = new Set(terms.shops.map((shop) => shop.platform));
    for (const account of state.accounts) platforms.add(account.platform);
    return {
      listing: JSON.stringify(contractListing(state)),
      status: state.status,
      brand_party_id: state.brand.partyId,
      operator_party_id: state.operator.partyId,
      scopes: fenced(terms.scopes),
      platforms: fenced([...platforms]),
      charged_fen: state.ledger.chargedFen,
      paid_fen: state.ledger.paidFen,
      ends_on: state.status === 'active' ? terms.term.endsOn : null,
      deadlines: JSON.stringify(deadlinesOf(state)),
    };
  },
  undefined,
  ['ends_on'],
);

/**
 * The handover checklist of every terminated contract. Its rows hold what the
 * checklist shows and who may see it, not the collections of the contract's
 * life before (its accounts, authorizations, incidents, breaches, proposals and ledger, which
 * the handover's items name for themselves): `evolve` changes the handover
 * from the handover's own events, whatever those collections hold.
 */
export const handoverProjection = contractFolding(
  'handover',
  'handover_checklists',
  {},
  () => ({}),
  // The amendments stay: evolve dates a handover by the handover period of the terms in force as it starts.
  (state) => ({
    ...state,
    proposals: [],
    accounts: [],
    authorizations: [],
    incidents: [],
    breaches: [],
    ledger: emptyLedger,
  }),
);

export const CONTRACT_PROJECTIONS: readonly Projection[] = [contractsProjection, handoverProjection];
