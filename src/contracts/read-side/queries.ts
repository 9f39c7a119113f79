import { Inject, Injectable } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { concat, defer, distinctUntilChanged, filter, map, Observable, of } from 'rxjs';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { parsePosition } from '../../event-store/event-store.port';
import { canonicalJson } from '../../shared/canonical-json';
import { ProjectionRunner } from '../../projections/projection-runner';
import { Refusal } from '../../shared/errors';
import type { Principal } from '../../shared/identity';
import { ContractHistories } from '../application/contract-histories';
import { contractStream, HistoryMalformedError, type HistoryCut } from '../application/contract-stream';
import { canSee, canSeeLedger, requireLedgerVisible } from '../domain/access';
import { contractNotFound } from '../domain/errors';
import type { ExistingContract } from '../domain/state';
import type { Party } from '../domain/terms';
import { ledgerView, statementView, type LedgerView, type StatementView } from './ledger-views';
import {
  ReadModels,
  type ContractListItem,
  type ContractListQuery,
  type DeadlineItem,
  type DueDates,
  type PartyLedger,
} from './read-models';
import { contractView, handoverView, type ContractView, type HandoverView } from './views';

/**
 * The contract reads, one query each. Current reads come from the read
 * models (after `minPosition`, when given: read your own writes); the as-of
 * reads fold the contract's stream up to a cut (`asOf`, `revision`).
 */

/** A view of a contract at a revision (its ETag). */
export interface Versioned<View> {
  readonly view: View;
  readonly revision: bigint;
}

export class ListContractsQuery extends Query<{ items: ContractListItem[]; nextCursor: string | null }> {
  constructor(
    readonly principal: Principal,
    readonly filter: ContractListQuery,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** The deadlines of the contracts the principal may see, due within `dueOn`. */
export class ListDeadlinesQuery extends Query<DeadlineItem[]> {
  constructor(
    readonly principal: Principal,
    readonly dueOn: DueDates,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** The contract summary; with `termsOn`, the terms in force on that date. */
export class GetContractQuery extends Query<Versioned<ContractView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly termsOn?: string,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** The contract exactly as it stood at a cut of its history (auditors' time travel). */
export class GetContractAsOfQuery extends Query<Versioned<ContractView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly cut: HistoryCut,
    readonly termsOn?: string,
  ) {
    super();
  }
}

export class GetHandoverChecklistQuery extends Query<Versioned<HandoverView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly minPosition?: string,
  ) {
    super();
  }
}

export class GetHandoverChecklistAsOfQuery extends Query<Versioned<HandoverView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly cut: HistoryCut,
  ) {
    super();
  }
}

/** The contract's ledger month by month, for its parties, auditors and admins. */
export class GetLedgerQuery extends Query<Versioned<LedgerView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** One statement with its lines, balance and verification against the history. */
export class GetStatementQuery extends Query<Versioned<StatementView>> {
  constructor(
    readonly contractId: string,
    readonly statementId: string,
    readonly principal: Principal,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** An operator's receivables or a brand's payables across its contracts (who may ask for which party is the caller's business). */
export class GetPartyLedgerQuery extends Query<PartyLedger> {
  constructor(
    readonly side: Party,
    readonly partyId: string,
    readonly minPosition?: string,
  ) {
    super();
  }
}

/** The handovers at a revision: none before the first (a termination, or an agreement in force taking a scope back). */
export interface ChecklistState {
  readonly view?: HandoverView;
  readonly revision: bigint;
}

/** The checklist now, then again each time a change to it is projected. */
export class WatchHandoverChecklistQuery extends Query<Observable<ChecklistState>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/**
 * Asked for the handovers of a contract with none: not terminated, and no
 * agreement in force took a scope back (the answer still carries the
 * contract's revision).
 */
export class HandoverNotStartedError extends Refusal {
  readonly code = 'handover.not_started';
  readonly category = 'not_found';
  constructor(override readonly atRevision: bigint) {
    super('The handover starts when the contract is terminated, or when an agreement in force takes a scope back.');
  }
}

/** The read models, read after a position when one is given (read your own writes). */
@Injectable()
export class ProjectedReads {
  constructor(
    @Inject(ReadModels) readonly readModels: ReadModels,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Waits (bounded) until the read models have applied the write at `minPosition`, then answers them. */
  async after(minPosition: string | undefined): Promise<ReadModels> {
    const position = minPosition === undefined ? undefined : parsePosition(minPosition);
    if (position) await this.runner.waitFor(position, this.config.projectionWaitMs);
    return this.readModels;
  }

  /** The contract as the summary's read model holds it, if the principal may read its ledger (else 404 or 403, see access.ts). */
  async ledgerOf(contractId: string, principal: Principal, minPosition: string | undefined) {
    const found = (await this.after(minPosition)).summary(contractId, principal);
    if (!found) throw contractNotFound();
    requireLedgerVisible(principal, found.state);
    return found;
  }
}

/** A contract folded from its stream up to a cut. */
@Injectable()
export class HistoryReads {
  constructor(@Inject(ContractHistories) private readonly histories: ContractHistories) {}

  /** The contract as it stood at the cut, if the principal may see it as it is now. */
  async asItStood(contractId: string, cut: HistoryCut, principal: Principal): Promise<{ state: ExistingContract; revision: bigint }> {
    const history = await this.histories.read(contractId);
    // Visibility is judged on the contract as it is now, not as it was then.
    if (!canSee(principal, history.at().state)) throw contractNotFound();
    const { state, revision, malformed } = history.at(cut);
    if (malformed) throw new HistoryMalformedError(malformed);
    if (state.status === 'none' || revision === undefined) throw contractNotFound();
    return { state, revision };
  }
}

@QueryHandler(ListContractsQuery)
export class ListContractsHandler implements IQueryHandler<ListContractsQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ principal, filter, minPosition }: ListContractsQuery) {
    return (await this.reads.after(minPosition)).list(principal, filter);
  }
}

@QueryHandler(ListDeadlinesQuery)
export class ListDeadlinesHandler implements IQueryHandler<ListDeadlinesQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ principal, dueOn, minPosition }: ListDeadlinesQuery) {
    return (await this.reads.after(minPosition)).deadlines(principal, dueOn);
  }
}

@QueryHandler(GetContractQuery)
export class GetContractHandler implements IQueryHandler<GetContractQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ contractId, principal, termsOn, minPosition }: GetContractQuery): Promise<Versioned<ContractView>> {
    const found = (await this.reads.after(minPosition)).summary(contractId, principal);
    if (!found) throw contractNotFound();
    return { view: contractView(found.state, termsOn), revision: found.revision };
  }
}

@QueryHandler(GetContractAsOfQuery)
export class GetContractAsOfHandler implements IQueryHandler<GetContractAsOfQuery> {
  constructor(@Inject(HistoryReads) private readonly history: HistoryReads) {}

  async execute({ contractId, principal, cut, termsOn }: GetContractAsOfQuery): Promise<Versioned<ContractView>> {
    const { state, revision } = await this.history.asItStood(contractId, cut, principal);
    return { view: contractView(state, termsOn), revision };
  }
}

@QueryHandler(GetHandoverChecklistQuery)
export class GetHandoverChecklistHandler implements IQueryHandler<GetHandoverChecklistQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ contractId, principal, minPosition }: GetHandoverChecklistQuery): Promise<Versioned<HandoverView>> {
    const found = (await this.reads.after(minPosition)).checklist(contractId, principal);
    if (!found) throw contractNotFound();
    return started(found);
  }
}

@QueryHandler(GetLedgerQuery)
export class GetLedgerHandler implements IQueryHandler<GetLedgerQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ contractId, principal, minPosition }: GetLedgerQuery): Promise<Versioned<LedgerView>> {
    const { state, revision } = await this.reads.ledgerOf(contractId, principal, minPosition);
    return { view: ledgerView(state), revision };
  }
}

@QueryHandler(GetStatementQuery)
export class GetStatementHandler implements IQueryHandler<GetStatementQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ contractId, statementId, principal, minPosition }: GetStatementQuery): Promise<Versioned<StatementView>> {
    const { state, revision } = await this.reads.ledgerOf(contractId, principal, minPosition);
    return { view: statementView(state, statementId), revision };
  }
}

@QueryHandler(GetPartyLedgerQuery)
export class GetPartyLedgerHandler implements IQueryHandler<GetPartyLedgerQuery> {
  constructor(@Inject(ProjectedReads) private readonly reads: ProjectedReads) {}

  async execute({ side, partyId, minPosition }: GetPartyLedgerQuery): Promise<PartyLedger> {
    return (await this.reads.after(minPosition)).partyLedger(side, partyId);
  }
}

@QueryHandler(GetHandoverChecklistAsOfQuery)
export class GetHandoverChecklistAsOfHandler implements IQueryHandler<GetHandoverChecklistAsOfQuery> {
  constructor(@Inject(HistoryReads) private readonly history: HistoryReads) {}

  async execute({ contractId, principal, cut }: GetHandoverChecklistAsOfQuery): Promise<Versioned<HandoverView>> {
    const { state, revision } = await this.history.asItStood(contractId, cut, principal);
    return started({ view: handoverView(state, { ledger: canSeeLedger(principal, state) }), revision });
  }
}

function started({ view, revision }: ChecklistState): Versioned<HandoverView> {
  if (!view) throw new HandoverNotStartedError(revision);
  return { view, revision };
}

@QueryHandler(WatchHandoverChecklistQuery)
export class WatchHandoverChecklistHandler implements IQueryHandler<WatchHandoverChecklistQuery> {
  constructor(
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {}

  /**
   * Refuses at once (before the caller starts streaming) a contract the
   * principal may not see. The first checklist is read when the caller
   * subscribes, in the same turn as it starts listening for changes, so no
   * change falls between them; after it, a checklist only when it differs
   * from the last one given (every event of the contract is a change to the
   * projection, a ledger event too, and resending the same checklist would
   * tell a coordinator of ledger activity it may not see); an error once the
   * checklist can no longer be served (its contract quarantined, the read
   * model stopped). Completes when the projections stop.
   */
  async execute({ contractId, principal }: WatchHandoverChecklistQuery): Promise<Observable<ChecklistState>> {
    const checklist = (): ChecklistState | undefined => this.readModels.checklist(contractId, principal);
    if (!checklist()) throw contractNotFound();
    const stream = contractStream(contractId);
    const changes = this.runner.changes$.pipe(filter((change) => change.projection === 'handover' && change.stream === stream));
    return defer(() => concat(of(null), changes)).pipe(
      map(checklist),
      filter((now) => now !== undefined),
      distinctUntilChanged(
        (last, now) => last === now,
        ({ view }) => canonicalJson(view ?? null),
      ),
    );
  }
}

export const CONTRACT_QUERY_HANDLERS = [
  ProjectedReads,
  HistoryReads,
  ListContractsHandler,
  ListDeadlinesHandler,
  GetContractHandler,
  GetContractAsOfHandler,
  GetHandoverChecklistHandler,
  GetHandoverChecklistAsOfHandler,
  WatchHandoverChecklistHandler,
  GetLedgerHandler,
  GetStatementHandler,
  GetPartyLedgerHandler,
];
