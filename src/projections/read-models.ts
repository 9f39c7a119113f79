import type Database from 'better-sqlite3';
import type { ContractView, HandoverView } from '../contracts/application/contract-views';
import type { Principal } from '../contracts/domain/access';
import type { ContractState, ContractStatus } from '../contracts/domain/state';

type ExistingContract = Exclude<ContractState, { status: 'none' }>;

export interface ContractListQuery {
  readonly status?: ContractStatus;
  /** A party id: the brand's or the operator's. */
  readonly party?: string;
  readonly scope?: string;
  readonly platform?: string;
  readonly limit: number;
  /** The last contract id of the previous page. */
  readonly after?: string;
}

export interface ContractListItem {
  readonly contractId: string;
  readonly revision: number;
  readonly status: ContractView['status'];
  readonly brand: ContractView['brand'];
  readonly operator: ContractView['operator'];
  readonly scopes: ContractView['terms']['scopes'];
  readonly keyDates: ContractView['keyDates'];
}

/** Queries over the read models (the projections' tables). */
export class ReadModels {
  constructor(private readonly db: Database.Database) {}

  /** The contracts the principal may see (object-level: a brand sees its own), filtered and paged. */
  list(principal: Principal, query: ContractListQuery): { items: ContractListItem[]; nextCursor: string | null } {
    const conditions: string[] = [];
    const values: Record<string, string | number> = { limit: query.limit + 1 };
    if (principal.role === 'brand' || principal.role === 'operator') {
      conditions.push(`${principal.role}_party_id = @me`);
      values.me = principal.partyId ?? '';
    }
    if (principal.role === 'coordinator') conditions.push(`status IN ('terminated', 'closed')`);
    if (query.status) {
      conditions.push('status = @status');
      values.status = query.status;
    }
    if (query.party) {
      conditions.push('(brand_party_id = @party OR operator_party_id = @party)');
      values.party = query.party;
    }
    if (query.scope) {
      conditions.push(`scopes LIKE @scope ESCAPE '\\'`);
      values.scope = `%,${escapeLike(query.scope)},%`;
    }
    if (query.platform) {
      conditions.push(`platforms LIKE @platform ESCAPE '\\'`);
      values.platform = `%,${escapeLike(query.platform)},%`;
    }
    if (query.after) {
      conditions.push('contract_id > @after');
      values.after = query.after;
    }
    const rows = this.db
      .prepare<Record<string, string | number>, { contract_id: string; revision: number; summary: string }>(
        `SELECT contract_id, revision, summary FROM contract_summaries
         ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY contract_id LIMIT @limit`,
      )
      .all(values);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => {
        const view = JSON.parse(row.summary) as ContractView;
        return {
          contractId: row.contract_id,
          revision: row.revision,
          status: view.status,
          brand: view.brand,
          operator: view.operator,
          scopes: view.terms.scopes,
          keyDates: view.keyDates,
        };
      }),
      nextCursor: rows.length > query.limit ? page[page.length - 1].contract_id : null,
    };
  }

  summary(contractId: string): { view: ContractView; state: ExistingContract; revision: bigint } | undefined {
    const row = this.db
      .prepare<[string], { summary: string; state: string; revision: number }>(
        'SELECT summary, state, revision FROM contract_summaries WHERE contract_id = ?',
      )
      .get(contractId);
    if (!row) return undefined;
    return { view: JSON.parse(row.summary) as ContractView, state: JSON.parse(row.state) as ExistingContract, revision: BigInt(row.revision) };
  }

  /** Undefined for an unknown contract; `view` undefined before termination. */
  checklist(contractId: string): { view?: HandoverView; state: ExistingContract; revision: bigint } | undefined {
    const row = this.db
      .prepare<[string], { checklist: string | null; state: string; revision: number }>(
        'SELECT checklist, state, revision FROM handover_checklists WHERE contract_id = ?',
      )
      .get(contractId);
    if (!row) return undefined;
    return {
      revision: BigInt(row.revision),
      state: JSON.parse(row.state) as ExistingContract,
      ...(row.checklist ? { view: JSON.parse(row.checklist) as HandoverView } : {}),
    };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_,]/g, (character) => `\\${character}`);
}
