import type Database from 'better-sqlite3';
import { Refusal } from '../../shared/errors';
import { handoverView, type ContractListing, type HandoverView } from './views';
import { contractRows, type Folded } from './projections';
import { WeighedLru } from '../../shared/weighed-lru';
import { canSee, canSeeLedger } from '../domain/access';
import { type Principal } from '../../shared/identity';
import type { ContractStatus, ExistingContract } from '../domain/state';
import type { Party } from '../domain/terms';
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

export interface ContractListItem extends ContractListing {
  readonly contractId: string;
  readonly revision: number;
  /** The read model could not apply one of its events: these fields stop before it, and reading the contract answers why. */
  readonly quarantined?: true;
}

/** A party's receivables (an operator) or payables (a brand): what its contracts' statements charged, what was paid, what is open. */
export interface PartyLedger {
  readonly side: Party;
  readonly partyId: string;
  readonly contracts: ReadonlyArray<
    Pick<ContractListing, 'status' | 'brand' | 'operator'> & {
      readonly contractId: string;
      readonly chargedFen: number;
      readonly paidFen: number;
      readonly openFen: number;
      /** The read model could not apply one of its events: its figures stop before it. */
      readonly quarantined?: true;
    }
  >;
  readonly totals: { readonly chargedFen: number; readonly paidFen: number; readonly openFen: number };
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

/** What the contracts lately read may weigh in all, by their stored JSON (the heap they hold is a few times that). */
const READ_CACHE_BYTES = 16 * 2 ** 20;

/**
 * Queries over the read models (the projections' tables). A projection that
 * stopped answers nothing; a quarantined contract is never served.
 */
export class ReadModels {
  private readonly ledger: ProjectionLedger;
  /** Statements prepared once, on first use (the tables are created when the projections start). */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tables = new Map<string, ReturnType<typeof contractRows>>();
  /**
   * Contracts lately read, as assembled from their rows, so that reading a
   * long contract again costs its view, not its rows; each taken only while
   * its row is at the revision it was read at (in a running service the rows
   * change only as the projections write them, each time at a new revision).
   */
  private readonly lately = new WeighedLru<string, Folded>(READ_CACHE_BYTES);

  constructor(private readonly db: Database.Database) {
    this.ledger = new ProjectionLedger(db);
  }

  private statement<Parameters extends unknown[] | object, Row>(sql: string): Database.Statement<Parameters, Row> {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement as Database.Statement<Parameters, Row>;
  }

  private rowsOf(table: string): ReturnType<typeof contractRows> {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = contractRows(this.db, table)));
    return rows;
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
    if (conditions.length) visible.push(`((${conditions.join(' AND ')}) OR ${QUARANTINED})`);
    if (query.after) {
      visible.push('contract_id > @after');
      values.after = query.after;
    }
    const rows = this.statement<
      [Record<string, string | number>],
      { contract_id: string; revision: number; listing: string; quarantined: number }
    >(
      `SELECT contract_id, revision, listing, ${QUARANTINED} AS quarantined FROM contract_summaries
       ${visible.length ? `WHERE ${visible.join(' AND ')}` : ''}
       ORDER BY contract_id LIMIT @limit`,
    ).all(values);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({
        contractId: row.contract_id,
        revision: row.revision,
        ...(JSON.parse(row.listing) as ContractListing),
        ...(row.quarantined ? { quarantined: true } : {}),
      })),
      nextCursor: rows.length > query.limit ? page[page.length - 1].contract_id : null,
    };
  }

  /**
   * What the statements of a party's contracts charged and what was paid,
   * per contract (drafts have no ledger) and in all: from the summaries'
   * charged and paid columns, in one query that reads no contract's state.
   */
  partyLedger(side: Party, partyId: string): PartyLedger {
    this.serving('contracts');
    const rows = this.statement<
      [Record<string, string>],
      { contract_id: string; listing: string; charged_fen: number; paid_fen: number; quarantined: number }
    >(
      `SELECT contract_id, listing, charged_fen, paid_fen, ${QUARANTINED} AS quarantined FROM contract_summaries
       WHERE ${side}_party_id = @party AND status NOT IN ('drafted', 'withdrawn') ORDER BY contract_id`,
    ).all({ party: partyId, stream: contractStream('') });
    const contracts = rows.map((row) => {
      const { status, brand, operator } = JSON.parse(row.listing) as ContractListing;
      return {
        contractId: row.contract_id,
        status,
        brand,
        operator,
        chargedFen: row.charged_fen,
        paidFen: row.paid_fen,
        openFen: row.charged_fen - row.paid_fen,
        ...(row.quarantined ? { quarantined: true as const } : {}),
      };
    });
    const sum = (amount: (contract: (typeof contracts)[number]) => number) => contracts.reduce((total, row) => total + amount(row), 0);
    return {
      side,
      partyId,
      contracts,
      totals: { chargedFen: sum((row) => row.chargedFen), paidFen: sum((row) => row.paidFen), openFen: sum((row) => row.openFen) },
    };
  }

  /**
   * Active contracts whose term ended on or before `today`: the expiries due,
   * in id order after `after`, `limit` at most.
   */
  expiriesDue(today: string, limit: number, after = ''): string[] {
    this.serving('contracts');
    // The unary plus keeps SQLite off the id index, which it would walk for the order through every
    // contract (some 70 ms in 100,000): the ends_on index reads only the few whose term ended.
    return this.statement<[string, string, number], { contract_id: string }>(
      `SELECT contract_id FROM contract_summaries WHERE status = 'active' AND ends_on <= ? AND +contract_id > ?
       ORDER BY +contract_id LIMIT ?`,
    )
      .all(today, after, limit)
      .map((row) => row.contract_id);
  }

  /** The contract as the summary's read model holds it, or undefined when there is none or the principal may not see it (one answer for both). */
  summary(contractId: string, principal: Principal): { state: ExistingContract; revision: bigint } | undefined {
    return this.visible('contracts', 'contract_summaries', contractId, principal);
  }

  /** The handovers (`view` undefined while there is none), or undefined like {@link summary}. */
  checklist(contractId: string, principal: Principal): { view?: HandoverView; revision: bigint } | undefined {
    const found = this.visible('handover', 'handover_checklists', contractId, principal);
    if (!found) return undefined;
    const view = handoverView(found.state, { ledger: canSeeLedger(principal, found.state) });
    return { revision: found.revision, ...(view ? { view } : {}) };
  }

  /**
   * A contract as a projection's rows hold it, if the principal may see it; a
   * quarantine is told only to those who may, so that it reveals nothing about
   * a contract to anyone else (a party's identity never changes, so the rows
   * still say who may see it).
   */
  private visible(projection: string, table: string, contractId: string, principal: Principal) {
    this.serving(projection);
    const found = this.current(table, contractId);
    if (!found || !canSee(principal, found.state)) return undefined;
    this.serving(projection, contractId);
    return { state: found.state, revision: BigInt(found.revision) };
  }

  private current(table: string, contractId: string): Folded | undefined {
    const rows = this.rowsOf(table);
    const revision = rows.revisionOf.get(contractId)?.revision;
    if (revision === undefined) return undefined;
    const key = `${table}/${contractId}`;
    const known = this.lately.get(key);
    const found = known?.revision === revision ? known : rows.read(contractId);
    if (found) this.lately.keep(key, found, found.partBytes);
    return found;
  }
}

/**
 * Whether a summary row's contract is quarantined (`@stream` the contract
 * streams' prefix): its columns may miss an event, so answers flag it.
 */
const QUARANTINED = `(@stream || contract_id) IN (SELECT stream FROM quarantines WHERE projection = 'contracts')`;

function escapeLike(value: string): string {
  return value.replace(/[\\%_,]/g, (character) => `\\${character}`);
}
