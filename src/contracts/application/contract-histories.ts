import type { EventStore } from '../../event-store/event-store.port';
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
  /** Least recently used first, each with the bytes it was counted at. */
  private readonly kept = new Map<string, { readonly history: ContractHistory; readonly bytes: number }>();
  private bytes = 0;

  constructor(
    readonly store: EventStore,
    private readonly maxBytes = MAX_KEPT_BYTES,
  ) {}

  /** The contract's history up to its last stored event (empty for a contract that does not exist). */
  async read(contractId: string): Promise<ContractHistory> {
    const kept = this.kept.get(contractId)?.history;
    const read = await this.store.readStream(contractStream(contractId), kept ? { fromRevision: kept.nextRevision } : {});
    if (!read.found) return new ContractHistory();
    const history = kept ?? new ContractHistory();
    for (const event of read.events) history.add(event);
    this.keep(contractId, history);
    return history;
  }

  private keep(contractId: string, history: ContractHistory): void {
    const previous = this.kept.get(contractId);
    if (previous) {
      this.bytes -= previous.bytes;
      this.kept.delete(contractId);
    }
    // Keeping it would mean forgetting every other history, and then itself.
    if (history.bytes > this.maxBytes) return;
    this.kept.set(contractId, { history, bytes: history.bytes });
    this.bytes += history.bytes;
    for (const [oldest, { bytes }] of this.kept) {
      if (this.bytes <= this.maxBytes) break;
      this.kept.delete(oldest);
      this.bytes -= bytes;
    }
  }
}
