import type Database from 'better-sqlite3';
import { Refusal } from '../../shared/errors';
import type { ContractView, HandoverView } from './views';
import { canSee } from '../domain/access';
import { type Principal } from '../../shared/identity';
import type { ContractStatus, ExistingContract } from '../domain/state';
import { contractStream } from '../application/contract-stream';
import { ReadModelStoppedError } from '../../projections/projection-runner';
import { ProjectionLedger, type Quarantine } from '../../projections/read-model-db';

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
  /** The read model could not apply one of its events: these fields stop before it, and reading the contract answers why. */
  readonly quarantined?: true;
}

/**
 * A read model passes over a contract whose stream holds an event it could
 * not apply: what it holds for that contract misses that event, so it
 * serves nothing for it until an operator acts.
 */
export class ContractQuarantinedError extends Refusal {
  readonly code = 'read_models.contract_quarantined';
  readonly category = 'unavailable';
  constructor(projection: string, contractId: string, { failure }: Quarantine) {
    super(
      `The ${projection} read model could not apply event ${failure.eventType} of contract ${contractId} ` +
        `(revision ${failure.revision}, position ${failure.position}): ${failure.message}. ` +
        `It serves nothing for this contract until an operator fixes the cause and runs npm run projections:rebuild, ` +
        `or records the event as skipped with npm run projections:skip -- ${projection} ${failure.stream} --reason "...". ` +
        `The contract's history (?asOf, ?revision, /events) stays readable; other contracts are not affected.`,
    );
  }
}

/**
 * Queries over the read models (the projections' tables). A projection that
 * stopped answers nothing; a quarantined contract is never served.
 */
export class ReadModels {
  private readonly ledger: ProjectionLedger;

  constructor(private readonly db: Database.Database) {
    this.ledger = new ProjectionLedger(db);
  }

  private serving(projection: string, contractId?: string): void {
    if (this.ledger.stopOf(projection)) throw new ReadModelStoppedError(projection);
    if (contractId === undefined) return;
    const quarantine = this.ledger.quarantineOf(projection, contractStream(contractId));
    if (quarantine) throw new ContractQuarantinedError(projection, contractId, quarantine);
  }

  /** The contracts the principal may see (object-level: a brand sees its own), filtered and paged. */
  list(principal: Principal, query: ContractListQuery): { items: ContractListItem[]; nextCursor: string | null } {
    this.serving('contracts');
    const visible: string[] = [];
    const conditions: string[] = [];
    const values: Record<string, string | number> = { limit: query.limit + 1, stream: contractStream('') };
    if (principal.role === 'brand' || principal.role === 'operator') {
      visible.push(`${principal.role}_party_id = @me`);
      values.me = principal.partyId ?? '';
    }
    if (principal.role === 'coordinator') visible.push(`status IN ('terminated', 'closed')`);
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
    // A quarantined row may miss an event that changed what the filters match: it is
    // in every page it could belong to, flagged, never a silent gap; the page goes on past it.
    const quarantined = `(@stream || contract_id) IN (SELECT stream FROM quarantines WHERE projection = 'contracts')`;
    if (conditions.length) visible.push(`((${conditions.join(' AND ')}) OR ${quarantined})`);
    if (query.after) {
      visible.push('contract_id > @after');
      values.after = query.after;
    }
    const rows = this.db
      .prepare<Record<string, string | number>, { contract_id: string; revision: number; summary: string; quarantined: number }>(
        `SELECT contract_id, revision, summary, ${quarantined} AS quarantined FROM contract_summaries
         ${visible.length ? `WHERE ${visible.join(' AND ')}` : ''}
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
          ...(row.quarantined ? { quarantined: true } : {}),
        };
      }),
      nextCursor: rows.length > query.limit ? page[page.length - 1].contract_id : null,
    };
  }

  /** The contract summary, or undefined when there is none or the principal may not see it (one answer for both). */
  summary(contractId: string, principal: Principal): { view: ContractView; state: ExistingContract; revision: bigint } | undefined {
    const row = this.visibleRow<{ summary: string }>(
      'contracts',
      'SELECT summary, state, revision FROM contract_summaries WHERE contract_id = ?',
      contractId,
      principal,
    );
    return row && { view: JSON.parse(row.summary) as ContractView, state: row.state, revision: row.revision };
  }

  /** Like {@link summary}; `view` undefined before termination. */
  checklist(contractId: string, principal: Principal): { view?: HandoverView; state: ExistingContract; revision: bigint } | undefined {
    const row = this.visibleRow<{ checklist: string | null }>(
      'handover',
      'SELECT checklist, state, revision FROM handover_checklists WHERE contract_id = ?',
      contractId,
      principal,
    );
    return (
      row && { revision: row.revision, state: row.state, ...(row.checklist ? { view: JSON.parse(row.checklist) as HandoverView } : {}) }
    );
  }

  /**
   * A contract's row, if the principal may see the contract; a quarantine is
   * told only to those who may, so that it reveals nothing about a contract
   * to anyone else (a party's identity never changes, so the row still says
   * who may see it).
   */
  private visibleRow<Row>(
    projection: string,
    sql: string,
    contractId: string,
    principal: Principal,
  ): (Omit<Row, 'state' | 'revision'> & { state: ExistingContract; revision: bigint }) | undefined {
    this.serving(projection);
    const row = this.db.prepare<[string], Row & { state: string; revision: number }>(sql).get(contractId);
    if (!row) return undefined;
    const state = JSON.parse(row.state) as ExistingContract;
    if (!canSee(principal, state)) return undefined;
    this.serving(projection, contractId);
    return { ...row, state, revision: BigInt(row.revision) };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_,]/g, (character) => `\\${character}`);
}
