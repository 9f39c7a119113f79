import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { concat, filter, map, Observable, of } from 'rxjs';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { EventStore, parsePosition } from '../../event-store/event-store.port';
import { ProjectionRunner } from '../../projections/projection-runner';
import { Refusal } from '../../shared/errors';
import type { Principal } from '../../shared/identity';
import { contractStream, foldHistory, loadContract, type HistoryCut } from '../application/contract-stream';
import { canSee } from '../domain/access';
import { contractNotFound } from '../domain/errors';
import type { ExistingContract } from '../domain/state';
import { ReadModels, type ContractListItem, type ContractListQuery } from './read-models';
import { contractView, handoverView, type ContractView, type HandoverView } from './views';

/**
 * The contract reads, one query each. Current reads come from the read
 * models (after `minPosition`, when given: read your own writes); reads
 * with a cut (`asOf`, `revision`) fold the contract's stream up to it.
 */

/** A read of one contract as it stands, or as it stood at a cut. */
export interface ContractRead {
  readonly minPosition?: string;
  readonly cut?: HistoryCut;
}

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

/** The contract summary; with `termsOn`, the terms in force on that date. */
export class GetContractQuery extends Query<Versioned<ContractView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly read: ContractRead & { readonly termsOn?: string },
  ) {
    super();
  }
}

export class GetHandoverChecklistQuery extends Query<Versioned<HandoverView>> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly read: ContractRead,
  ) {
    super();
  }
}

/** The checklist at a revision: none before termination. */
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

/** Asked for the checklist of a contract not terminated: there is none yet. */
export class HandoverNotStartedError extends Refusal {
  readonly code = 'handover.not_started';
  readonly category = 'not_found';
  constructor() {
    super('The handover starts when the contract is terminated.');
  }
}

/** What the read handlers share: waiting for a position, folding to a cut. */
abstract class ContractReader {
  constructor(
    @Inject(ReadModels) protected readonly readModels: ReadModels,
    @Inject(ProjectionRunner) protected readonly runner: ProjectionRunner,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Read your own writes: wait (bounded) until the read models have applied the write at `minPosition`. */
  protected async readAfter(minPosition: string | undefined): Promise<void> {
    const position = minPosition === undefined ? undefined : parsePosition(minPosition);
    if (position) await this.runner.waitFor(position, this.config.projectionWaitMs);
  }

  /** The contract as it stood at the cut, if the principal may see it as it is now. */
  protected async asItStood(contractId: string, cut: HistoryCut, principal: Principal): Promise<Versioned<ExistingContract>> {
    const now = await loadContract(this.store, contractId);
    // Visibility is judged on the contract as it is now, not as it was then.
    if (!canSee(principal, now.state)) throw contractNotFound();
    const { state, revision, malformed } = foldHistory(now.recorded, cut);
    if (malformed) throw malformed;
    if (state.status === 'none' || revision === undefined) throw contractNotFound();
    return { view: state, revision };
  }
}

@QueryHandler(ListContractsQuery)
export class ListContractsHandler extends ContractReader implements IQueryHandler<ListContractsQuery> {
  async execute({ principal, filter, minPosition }: ListContractsQuery) {
    await this.readAfter(minPosition);
    return this.readModels.list(principal, filter);
  }
}

@QueryHandler(GetContractQuery)
export class GetContractHandler extends ContractReader implements IQueryHandler<GetContractQuery> {
  async execute({ contractId, principal, read }: GetContractQuery): Promise<Versioned<ContractView>> {
    const { termsOn } = read;
    if (read.cut) {
      const { view: state, revision } = await this.asItStood(contractId, read.cut, principal);
      return { view: contractView(state, termsOn), revision };
    }
    await this.readAfter(read.minPosition);
    const found = this.readModels.summary(contractId, principal);
    if (!found) throw contractNotFound();
    return { view: termsOn ? contractView(found.state, termsOn) : found.view, revision: found.revision };
  }
}

@QueryHandler(GetHandoverChecklistQuery)
export class GetHandoverChecklistHandler extends ContractReader implements IQueryHandler<GetHandoverChecklistQuery> {
  async execute({ contractId, principal, read }: GetHandoverChecklistQuery): Promise<Versioned<HandoverView>> {
    const { view, revision } = read.cut
      ? await this.fromHistory(contractId, read.cut, principal)
      : await this.projected(contractId, principal, read);
    if (!view) throw new HandoverNotStartedError();
    return { view, revision };
  }

  private async fromHistory(contractId: string, cut: HistoryCut, principal: Principal) {
    const { view: state, revision } = await this.asItStood(contractId, cut, principal);
    return { view: handoverView(state), revision };
  }

  private async projected(contractId: string, principal: Principal, { minPosition }: ContractRead) {
    await this.readAfter(minPosition);
    const found = this.readModels.checklist(contractId, principal);
    if (!found) throw contractNotFound();
    return found;
  }
}

@QueryHandler(WatchHandoverChecklistQuery)
export class WatchHandoverChecklistHandler extends ContractReader implements IQueryHandler<WatchHandoverChecklistQuery> {
  /**
   * Refuses at once (before the caller starts streaming) a contract the
   * principal may not see; later, an error once the checklist can no longer
   * be served (its contract quarantined, the read model stopped). Completes
   * when the projections stop.
   */
  async execute({ contractId, principal }: WatchHandoverChecklistQuery): Promise<Observable<ChecklistState>> {
    const checklist = (): ChecklistState | undefined => this.readModels.checklist(contractId, principal);
    const first = checklist();
    if (!first) throw contractNotFound();
    const stream = contractStream(contractId);
    const changes = this.runner.changes$.pipe(
      filter((change) => change.projection === 'handover' && change.stream === stream),
      map(checklist),
      filter((now) => now !== undefined),
    );
    return concat(of(first), changes);
  }
}

export const CONTRACT_QUERY_HANDLERS = [
  ListContractsHandler,
  GetContractHandler,
  GetHandoverChecklistHandler,
  WatchHandoverChecklistHandler,
];
