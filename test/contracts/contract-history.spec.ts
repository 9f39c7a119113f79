import { ContractHistory, contractStream } from '../../src/contracts/application/contract-stream';
import { SCHEMA_VERSIONS, type ContractEvent } from '../../src/contracts/domain/events';
import { fold, initialState } from '../../src/contracts/domain/state';
import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.port';
import { accountRegistered, anActiveContract, CONTRACT_ID } from '../support/contract-fixtures';

/**
 * A contract's history as the write path and time travel keep it: whatever
 * cut is asked, the answer is the plain fold of the events up to the cut.
 */

const START = Date.parse('2027-01-01T00:00:00Z');

/** The events as stored, at revisions 0, 1 ...; recorded a minute apart unless times (minutes from START) are given. */
function stored(events: readonly ContractEvent[], minutes = events.map((_, index) => index), metadata: JsonObject = {}): RecordedEvent[] {
  return events.map((event, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    stream: contractStream(CONTRACT_ID),
    revision: BigInt(index),
    position: { commit: BigInt(index + 1), prepare: BigInt(index + 1) },
    recordedAt: new Date(START + minutes[index] * 60_000),
    type: event.type,
    data: event.data,
    metadata: { schemaVersion: SCHEMA_VERSIONS[event.type], ...metadata },
  }));
}

function historyOf(recorded: readonly RecordedEvent[]): ContractHistory {
  const history = new ContractHistory();
  for (const event of recorded) history.add(event);
  return history;
}

/** An active contract, then accounts: long enough to hold several snapshots. */
const LONG: ContractEvent[] = [...anActiveContract(), ...Array.from({ length: 200 }, (_, index) => accountRegistered(`acc-${index}`))];

describe('a contract history kept between requests', () => {
  it('answers a cut at every revision with the fold of the events up to it', () => {
    const history = historyOf(stored(LONG));
    for (let revision = 0; revision < LONG.length; revision += 1) {
      expect(history.at({ revision: BigInt(revision) })).toEqual({ state: fold(LONG.slice(0, revision + 1)), revision: BigInt(revision) });
    }
    expect(history.at({ revision: 10_000n })).toEqual({ state: fold(LONG), revision: BigInt(LONG.length - 1) });
    expect(history.at()).toEqual({ state: fold(LONG), revision: BigInt(LONG.length - 1) });
    expect(history.head).toEqual({
      revision: BigInt(LONG.length - 1),
      position: { commit: BigInt(LONG.length), prepare: BigInt(LONG.length) },
    });
  });

  it('cuts by time before the first event recorded after it, even where the clock went back', () => {
    const events = LONG.slice(0, 6);
    // Revision 3 was recorded before revision 2, by a clock set back.
    const history = historyOf(stored(events, [0, 1, 3, 2, 4, 5]));
    expect(history.at({ asOf: new Date(START - 1) })).toEqual({ state: initialState, revision: undefined });
    expect(history.at({ asOf: new Date(START + 60_000) })).toEqual({ state: fold(events.slice(0, 2)), revision: 1n });
    expect(history.at({ asOf: new Date(START + 2 * 60_000) })).toEqual({ state: fold(events.slice(0, 2)), revision: 1n });
    expect(history.at({ asOf: new Date(START + 3 * 60_000) })).toEqual({ state: fold(events.slice(0, 4)), revision: 3n });
    // With a revision too, whichever comes first.
    expect(history.at({ asOf: new Date(START + 5 * 60_000), revision: 2n })).toEqual({ state: fold(events.slice(0, 3)), revision: 2n });
  });

  it('folds up to a malformed event: cuts before it answer, cuts at or past it carry it', () => {
    const recorded = stored(LONG.slice(0, 70));
    const broken = { ...recorded[66], data: { accountId: 42 } };
    const history = historyOf([...recorded.slice(0, 66), broken, ...recorded.slice(67)]);
    expect(history.at({ revision: 65n })).toEqual({ state: fold(LONG.slice(0, 66)), revision: 65n });
    for (const cut of [{ revision: 66n }, { revision: 69n }, {}]) {
      expect(history.at(cut)).toEqual({
        state: fold(LONG.slice(0, 66)),
        revision: cut.revision ?? 69n,
        malformed: expect.objectContaining({ revision: 66n }),
      });
    }
  });

  it('keeps what each Idempotency-Key recorded: the first request hash, its events, where the last of them is', () => {
    const [drafted, ...signing] = stored(LONG.slice(0, 4));
    const keyed = (event: RecordedEvent, key: string, requestHash: string) => ({
      ...event,
      metadata: { ...event.metadata, idempotencyKey: key, requestHash },
    });
    const history = historyOf([drafted, keyed(signing[0], 'k-1', 'h-1'), keyed(signing[1], 'k-2', 'h-2'), keyed(signing[2], 'k-2', 'h-2')]);
    expect(history.keyed('k-2')).toEqual({ requestHash: 'h-2', events: LONG.slice(2, 4), revision: 3n, position: signing[2].position });
    expect(history.keyed('k-1')).toMatchObject({ requestHash: 'h-1', revision: 1n });
    expect(history.keyed('k-3')).toBeUndefined();
  });

  it('folds each event once, when two reads of the stream overlap', () => {
    const recorded = stored(LONG.slice(0, 8));
    const history = historyOf(recorded.slice(0, 5));
    for (const event of recorded.slice(3)) history.add(event);
    expect(history.at()).toEqual({ state: fold(LONG.slice(0, 8)), revision: 7n });
  });
});
