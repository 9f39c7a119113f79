import { setTimeout as sleep } from 'node:timers/promises';
import { Refusal } from '../../shared/errors';
import { RevisionConflictError, type Position } from '../../event-store/event-store.port';
import { parseCommand, type ContractCommand } from '../domain/commands';
import { authorize } from '../domain/access';
import { decide } from '../domain/decide';
import type { ContractEvent } from '../domain/events';
import type { ContractHistories } from './contract-histories';
import { contractStream, HistoryMalformedError, toEventData, type CommandContext } from './contract-stream';

/** Re-decisions on fresh state after a concurrent write, before giving up. */
const MAX_ATTEMPTS = 10;

export interface CommandOutcome {
  readonly contractId: string;
  /** The stream's revision after the command (the ETag). */
  readonly revision: bigint;
  /** Events this command recorded: none when there was nothing to do. */
  readonly events: readonly ContractEvent[];
  /** Global position of the command's last event (or of the stream's last, when there was nothing to do): read after it to read your write. */
  readonly position: Position;
  /** True when the Idempotency-Key had been seen: this is the first attempt's outcome. */
  readonly replayed: boolean;
}

/** If-Match named a revision the contract has moved past. */
export class StaleRevisionError extends Refusal {
  readonly code = 'concurrency.stale_revision';
  readonly category = 'precondition_failed';
  constructor(
    readonly expected: bigint,
    readonly current: bigint | undefined,
  ) {
    super(`The contract is at revision ${current ?? 'none'}, not ${expected}: read it again and decide on the current state.`);
  }

  override get extensions() {
    return { currentRevision: this.current === undefined ? null : Number(this.current) };
  }
}

/** The same Idempotency-Key came with a different request. */
export class IdempotencyKeyReusedError extends Refusal {
  readonly code = 'idempotency.key_reused';
  readonly category = 'invalid';
  constructor(key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request; use a new key for a new request.`);
  }
}

/** Concurrent writers kept winning; nothing was written. */
export class ContentionError extends Refusal {
  readonly code = 'concurrency.contention';
  readonly category = 'conflict';
  constructor(contractId: string) {
    super(`Contract ${contractId} is changing too fast to apply this command; retry it.`);
  }
}

/**
 * The one write path: read the stream (past what `histories` keeps), fold,
 * decide, append at the revision read. A conflicting concurrent write means
 * deciding again on fresh state (decide is pure), unless the client pinned a
 * revision with If-Match.
 */
export async function executeContractCommand(
  histories: ContractHistories,
  contractId: string,
  candidate: ContractCommand,
  context: CommandContext,
): Promise<CommandOutcome> {
  // Checked before anything reads it: who may issue it depends on its fields.
  const command = parseCommand(candidate);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const history = await histories.read(contractId);
    const { state, revision, malformed } = history.at();
    authorize(context.principal, command, state);
    if (malformed) throw new HistoryMalformedError(malformed);

    const { idempotency } = context;
    if (idempotency) {
      const earlier = history.keyed(idempotency.key);
      if (earlier) {
        if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
        return { contractId, revision: earlier.revision, events: earlier.events, position: earlier.position, replayed: true };
      }
    }
    if (context.ifMatch !== undefined && context.ifMatch !== revision) {
      throw new StaleRevisionError(context.ifMatch, revision);
    }

    const events = decide(command, state);
    const last = history.head;
    // decide refuses every command but a draft on a missing contract, and a draft always records something.
    if (events.length === 0 && last) return { contractId, revision: last.revision, events, position: last.position, replayed: false };

    try {
      const written = await histories.store.appendToStream(
        contractStream(contractId),
        toEventData(events, contractId, command.type, context),
        revision ?? 'no_stream',
      );
      return { contractId, revision: written.nextExpectedRevision, events, position: written.position, replayed: false };
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      if (context.ifMatch !== undefined) {
        throw new StaleRevisionError(context.ifMatch, error.actual === 'no_stream' ? undefined : error.actual);
      }
      // Jitter, so that writers who lost together do not collide again.
      await sleep(Math.random() * 5 * attempt);
    }
  }
  throw new ContentionError(contractId);
}
