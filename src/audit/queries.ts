import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { foldHistory } from '../contracts/application/contract-stream';
import { requireHistoryVisible, requireVisible } from '../contracts/domain/access';
import type { ContractState } from '../contracts/domain/state';
import { contractNotFound } from '../contracts/domain/errors';
import { EventStore, type Position, type RecordedEvent } from '../event-store/event-store.port';
import type { Principal } from '../shared/identity';
import { computeDigest, type HistoryDigest } from './digest';
import { verifyChain, type ChainVerdict } from './hash-chain';
import { historyPage, readContractHistory } from './history';

/**
 * The audit reads, one handler each. A read of one contract carries who
 * asks: what they may see is decided here, not at the edge.
 */

export type HistoryPage = ReturnType<typeof historyPage>;

/** A digest as an auditor kept it, outside the system. */
export interface KeptDigest {
  readonly position: string;
  readonly digest: string;
}

export interface DigestVerification {
  /** The same digest at the same position: nothing up to there was rewritten. */
  readonly ok: boolean;
  readonly kept: KeptDigest;
  readonly recomputed: HistoryDigest;
}

/** A page of the contract's events as stored, from a revision. */
export class GetContractHistoryQuery extends Query<HistoryPage> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
    readonly from: number,
    readonly limit: number,
  ) {
    super();
  }
}

/** The contract's hash chain recomputed: intact, or the first event where it breaks. */
export class VerifyContractChainQuery extends Query<ChainVerdict> {
  constructor(
    readonly contractId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** The digest over all contract streams up to a position (default: the whole log). */
export class GetDigestQuery extends Query<HistoryDigest> {
  constructor(readonly upTo?: Position) {
    super();
  }
}

/**
 * The digest recomputed at the kept one's position (`at`, that position
 * parsed), compared with it as kept: the position as text, as the auditor wrote it.
 */
export class VerifyDigestQuery extends Query<DigestVerification> {
  constructor(
    readonly kept: KeptDigest,
    readonly at: Position,
  ) {
    super();
  }
}

@QueryHandler(GetContractHistoryQuery)
export class GetContractHistoryQueryHandler implements IQueryHandler<GetContractHistoryQuery, HistoryPage> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ contractId, principal, from, limit }: GetContractHistoryQuery): Promise<HistoryPage> {
    return historyPage(await visibleHistory(this.store, contractId, principal, requireHistoryVisible), from, limit);
  }
}

@QueryHandler(VerifyContractChainQuery)
export class VerifyContractChainQueryHandler implements IQueryHandler<VerifyContractChainQuery, ChainVerdict> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ contractId, principal }: VerifyContractChainQuery): Promise<ChainVerdict> {
    return verifyChain(await visibleHistory(this.store, contractId, principal, requireVisible));
  }
}

@QueryHandler(GetDigestQuery)
export class GetDigestQueryHandler implements IQueryHandler<GetDigestQuery, HistoryDigest> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute({ upTo }: GetDigestQuery): Promise<HistoryDigest> {
    return computeDigest(this.store, upTo);
  }
}

@QueryHandler(VerifyDigestQuery)
export class VerifyDigestQueryHandler implements IQueryHandler<VerifyDigestQuery, DigestVerification> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ kept, at }: VerifyDigestQuery): Promise<DigestVerification> {
    const recomputed = await computeDigest(this.store, at);
    return { ok: recomputed.digest === kept.digest && recomputed.position === kept.position, kept, recomputed };
  }
}

/**
 * The contract's events, if `allowed` lets the principal use them (it throws
 * otherwise): the raw history is the ledger's too (requireHistoryVisible), a
 * verdict over it is for whoever sees the contract (requireVisible). Auditors
 * and admins read every history, even one altered so far that it no longer folds.
 */
async function visibleHistory(
  store: EventStore,
  contractId: string,
  principal: Principal,
  allowed: (principal: Principal, state: ContractState) => void,
): Promise<readonly RecordedEvent[]> {
  const recorded = await readContractHistory(store, contractId);
  if (!recorded) throw contractNotFound();
  if (principal.role !== 'auditor' && principal.role !== 'admin') allowed(principal, foldHistory(recorded).state);
  return recorded;
}
