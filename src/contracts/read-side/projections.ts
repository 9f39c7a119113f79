import type Database from 'better-sqlite3';
import { contractView, handoverView } from './views';
import { CONTRACT_CATEGORY, toContractEvent } from '../application/contract-stream';
import { currentTerms } from '../domain/decide';
import { evolve, initialState, type ContractState, type ExistingContract } from '../domain/state';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { Projection } from '../../projections/projection';

type Row = Record<string, string | number | null>;

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
      const current = db.prepare<[string], { revision: number; state: string }>(
        `SELECT revision, state FROM ${table} WHERE contract_id = ?`,
      );
      const upsert = db.prepare(
        `INSERT INTO ${table} (contract_id, revision, state, ${names.join(', ')})
         VALUES (@contract_id, @revision, @state, ${names.map((column) => `@${column}`).join(', ')})
         ON CONFLICT (contract_id) DO UPDATE SET revision = excluded.revision, state = excluded.state,
         ${names.map((column) => `${column} = excluded.${column}`).join(', ')}`,
      );
      const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE contract_id = ?`);
      return {
        apply(event: RecordedEvent) {
          if (!event.stream.startsWith(prefix)) return undefined;
          const contractId = event.stream.slice(prefix.length);
          const row = current.get(contractId);
          // Already applied: a redelivery after a restart between commit and acknowledgement.
          if (row && BigInt(row.revision) >= event.revision) return undefined;
          const state = evolve(row ? (JSON.parse(row.state) as ContractState) : initialState, toContractEvent(event));
          if (state.status === 'none') return undefined;
          upsert.run({ contract_id: contractId, revision: Number(event.revision), state: JSON.stringify(state), ...render(state) });
          return contractId;
        },
        forget: (stream: string) => void remove.run(stream.slice(prefix.length)),
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
