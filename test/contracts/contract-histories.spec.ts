import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractHistories } from '../../src/contracts/application/contract-histories';
import { contractStream, contractStreamSchema, type CommandContext } from '../../src/contracts/application/contract-stream';
import { executeContractCommand, StaleRevisionError } from '../../src/contracts/application/execute-command';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { SqliteEventStore } from '../../src/event-store/adapters/sqlite-event-store';
import type { EventStore, ReadStreamOptions } from '../../src/event-store/event-store.port';
import { HashChainedEventStore } from '../../src/event-store/hash-chain';
import { SchemaGatedEventStore } from '../../src/event-store/schema-gate';
import { draftCommand, refusal } from '../support/contract-fixtures';

/**
 * The write path over the histories it keeps: a command reads only what was
 * stored after them, and still decides on everything stored, whoever wrote it.
 * Two ContractHistories on one store are two processes of the service.
 */
describe('the write path over kept histories', () => {
  let folder: string;
  let store: EventStore;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'histories-'));
    store = new HashChainedEventStore(
      new SchemaGatedEventStore(new SqliteEventStore(join(folder, 'events.sqlite')), [contractStreamSchema]),
    );
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const context = (more: Partial<CommandContext> = {}): CommandContext => ({
    principal: { keyId: 'test', role: 'admin' },
    actor: 'admin:test',
    correlationId: randomUUID(),
    commandId: randomUUID(),
    receivedAt: new Date().toISOString(),
    ...more,
  });
  const register = (accountName: string): ContractCommand => ({
    type: 'RegisterAccount',
    accountId: randomUUID(),
    platform: 'tmall',
    accountName,
    accountKind: 'sub_account',
  });
  /** Signed by both parties (revisions 0 to 3: drafted, signed, signed, activated), then its accounts, one a revision. */
  async function aContract(histories: ContractHistories, accounts = 0): Promise<string> {
    const contractId = randomUUID();
    await executeContractCommand(histories, contractId, { ...draftCommand(), contractId } as ContractCommand, context());
    for (const party of ['brand', 'operator'] as const) {
      const sign: ContractCommand = { type: 'SignContract', party, signatory: party, signedOn: '2026-12-01' };
      await executeContractCommand(histories, contractId, sign, context());
    }
    for (let account = 0; account < accounts; account += 1) {
      await executeContractCommand(histories, contractId, register(`account-${account}`), context());
    }
    return contractId;
  }
  const readsOf = (spy: jest.SpyInstance) => spy.mock.calls.map(([stream, options]: [string, ReadStreamOptions?]) => [stream, options]);

  it('reads only the events stored after those it keeps', async () => {
    const histories = new ContractHistories(store);
    const id = await aContract(histories, 3);
    const reads = jest.spyOn(store, 'readStream');
    const outcome = await executeContractCommand(histories, id, register('one more'), context());
    expect(outcome.revision).toBe(7n);
    // From the event the previous command appended: what it appended is read back, never assumed.
    expect(readsOf(reads)).toEqual([[contractStream(id), { fromRevision: 6n }]]);
  });

  it("decides on another process's writes: its revision is the one to match, its key is replayed, its facts count", async () => {
    const here = new ContractHistories(store);
    const there = new ContractHistories(store);
    const id = await aContract(here, 1);
    const written = await executeContractCommand(
      there,
      id,
      register('from there'),
      context({ idempotency: { key: 'key-1', requestHash: 'a'.repeat(64) } }),
    );

    const pinned = await executeContractCommand(here, id, register('pinned'), context({ ifMatch: written.revision }));
    expect(pinned.revision).toBe(written.revision + 1n);
    const replayed = await executeContractCommand(
      here,
      id,
      register('from there'),
      context({ idempotency: { key: 'key-1', requestHash: 'a'.repeat(64) } }),
    );
    expect(replayed).toEqual({ ...written, replayed: true });
    await expect(
      executeContractCommand(here, id, register('other'), context({ idempotency: { key: 'key-1', requestHash: 'b'.repeat(64) } })),
    ).rejects.toEqual(refusal('idempotency.key_reused', 'invalid'));
    await expect(executeContractCommand(here, id, register('from there'), context())).rejects.toEqual(
      refusal('account.already_registered', 'conflict'),
    );
  });

  it('decides again on the events another process appended between its read and its append', async () => {
    const here = new ContractHistories(store);
    const there = new ContractHistories(store);
    const id = await aContract(here, 1);
    const append = store.appendToStream.bind(store);
    const slipIn = (accountName: string) =>
      jest.spyOn(store, 'appendToStream').mockImplementationOnce(async (...args) => {
        await executeContractCommand(there, id, register(accountName), context());
        return append(...args);
      });

    slipIn('contested');
    await expect(executeContractCommand(here, id, register('contested'), context())).rejects.toEqual(
      refusal('account.already_registered', 'conflict'),
    );
    slipIn('another');
    const stale = executeContractCommand(here, id, register('pinned'), context({ ifMatch: 5n }));
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(stale).rejects.toMatchObject({ expected: 5n, current: 6n });
  });

  it('forgets the least recently used beyond its budget, reads a forgotten contract whole again, and never keeps one larger than it', async () => {
    const writer = new ContractHistories(store);
    const [first, second, large] = [await aContract(writer, 1), await aContract(writer, 1), await aContract(writer, 8)];
    // Room for one of the five-event contracts, not two; not for the twelve-event one.
    const budget = 1.5 * (await writer.read(first)).bytes;
    expect((await writer.read(large)).bytes).toBeGreaterThan(budget);
    const histories = new ContractHistories(store, budget);
    const reads = jest.spyOn(store, 'readStream');
    for (const id of [first, second, first, first, large, large, first]) {
      expect((await histories.read(id)).at().revision).toBe(id === large ? 11n : 4n);
    }
    expect(readsOf(reads)).toEqual([
      [contractStream(first), {}],
      [contractStream(second), {}],
      [contractStream(first), {}],
      [contractStream(first), { fromRevision: 5n }],
      [contractStream(large), {}],
      [contractStream(large), {}],
      [contractStream(first), { fromRevision: 5n }],
    ]);
  });
});
