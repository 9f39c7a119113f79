import type { EventStore } from '../../event-store/event-store.port';
import { WeighedLru } from '../../shared/weighed-lru';
import { ContractHistory, contractStream } from './contract-stream';

/** The heap the kept histories may hold in all, by their estimate: some 30,000 events of short contracts, or one of about 16,000. */
const MAX_KEPT_BYTES = 64 * 2 ** 20;

/**
 * The folded histories of the contracts used lately, so that a command or a
 * cut of a contract's history costs the same whatever its length: each use
 * reads from the store only the events after the last one kept (usually
 * none, or the previous write's), never the whole stream again. Nothing kept
 * is taken as current: a write by another process is read like any other,
 * before the command is decided. The least recently used are forgotten once
 * they hold more than {@link MAX_KEPT_BYTES}; a history larger than that on
 * its own is not kept (it is read whole each time, as it would be without
 * them) and makes none of the others forgotten.
 */
export class ContractHistories {
  private readonly kept: WeighedLru<string, ContractHistory>;

  constructor(
    readonly store: EventStore,
    maxBytes = MAX_KEPT_BYTES,
  ) {
    this.kept = new WeighedLru(maxBytes);
  }

  /** The contract's history up to its last stored event (empty for a contract that does not exist). */
  async read(contractId: string): Promise<ContractHistory> {
    const kept = this.kept.get(contractId);
    const read = await this.store.readStream(contractStream(contractId), kept ? { fromRevision: kept.nextRevision } : {});
    if (!read.found) return new ContractHistory();
    const history = kept ?? new ContractHistory();
    for (const event of read.events) history.add(event);
    this.kept.keep(contractId, history, history.bytes);
    return history;
  }
}
