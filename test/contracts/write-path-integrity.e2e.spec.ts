import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { RecordContractCommand } from '../../src/contracts/application/command-handlers';
import { contractStream, type CommandContext } from '../../src/contracts/application/contract-stream';
import { ContractRefused } from '../../src/contracts/domain/errors';
import { EventStore, MalformedEventError } from '../../src/event-store/event-store.port';
import { agree, BRAND, OPERATOR, draftAndActivate } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';

/**
 * The write path defends the log by itself, whatever the HTTP edge lets
 * through: the decider refuses a malformed command, the store refuses a
 * malformed event, and neither writes anything.
 */
describe('the write path, behind the HTTP edge', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  const context = (): CommandContext => ({
    principal: { keyId: 'test', role: 'admin' },
    actor: 'admin:test',
    correlationId: randomUUID(),
    commandId: randomUUID(),
    receivedAt: new Date().toISOString(),
  });
  const revisionOf = async (id: string) => (await api.get(`/contracts/${id}/events?limit=1000`)).body.events.length as number;

  it('refuses the amendment that once corrupted a contract (changes: [[]]) with command.invalid, and writes nothing', async () => {
    const id = await draftAndActivate(api);
    const before = await revisionOf(id);
    const malformed = {
      type: 'ProposeAmendment',
      amendmentId: randomUUID(),
      proposedBy: 'brand',
      documentRef: 'SA-X',
      effectiveOn: '2028-01-01',
      changes: [[]],
    };
    const refused = api.app.get(CommandBus).execute(new RecordContractCommand(id, malformed as never, context()));
    await expect(refused).rejects.toBeInstanceOf(ContractRefused);
    await expect(refused).rejects.toMatchObject({ code: 'command.invalid', message: expect.stringContaining('changes.0') });
    expect(await revisionOf(id)).toBe(before);
    // The contract still changes as before.
    const { countersigned } = await agree(api, id, {
      documentRef: 'SA-1',
      effectiveOn: '2028-01-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    });
    expect(countersigned.recorded).toContain('ContractAmended');
  });

  it('refuses a draft whose shops hold a non-object, before anything reads it', async () => {
    const draft = {
      type: 'DraftContract',
      contractId: randomUUID(),
      brand: { partyId: 'b', name: 'B' },
      operator: { partyId: 'o', name: 'O' },
      terms: { shops: [[]] },
    };
    await expect(
      api.app.get(CommandBus).execute(new RecordContractCommand(draft.contractId, draft as never, context())),
    ).rejects.toMatchObject({
      code: 'command.invalid',
    });
    expect((await api.get(`/contracts/${draft.contractId}/events`)).status).toBe(404);
  });

  it('lets no caller append a malformed event: the store refuses the whole append', async () => {
    const id = await draftAndActivate(api);
    const store = api.app.get(EventStore);
    const read = await store.readStream(contractStream(id));
    const head = read.found ? read.events[read.events.length - 1] : undefined;
    // The store writes the hash chain itself.
    const { hash: _hash, hashAlgorithm: _algorithm, ...metadata } = head!.metadata;
    const wellFormed = { id: randomUUID(), type: 'ContractActivated', data: { activatedOn: '2027-01-01' }, metadata };
    const malformed = {
      id: randomUUID(),
      type: 'ContractAmended',
      data: { amendmentId: 'x', documentRef: 'SA-X', effectiveOn: '2028-01-01', changes: [[]] },
      metadata,
    };
    await expect(store.appendToStream(contractStream(id), [wellFormed, malformed], head!.revision)).rejects.toBeInstanceOf(
      MalformedEventError,
    );
    await expect(store.appendToStream(contractStream(id), [{ ...wellFormed, type: 'ContractTeleported' }], head!.revision)).rejects.toThrow(
      /not a contract event type/,
    );
    await expect(store.appendToStream(contractStream(id), [{ ...wellFormed, metadata: { actor: 'x' } }], head!.revision)).rejects.toThrow(
      /metadata/,
    );
    await expect(store.appendToStream(`orders-${randomUUID()}`, [wellFormed], 'any')).rejects.toThrow(/no schema/);
    await expect(store.appendToStream(contractStream(id), [{ ...wellFormed, metadata: head!.metadata }], head!.revision)).rejects.toThrow(
      /written by the event store/,
    );
    expect(await revisionOf(id)).toBe(Number(head!.revision) + 1);
  });

  it('answers 409 history.malformed, not 500, for a contract whose stored history holds an event written before the gate', async () => {
    const id = await draftAndActivate(api);
    plantEvent(api.dataDir, id, 'ContractAmended', { amendmentId: 'x', documentRef: 'SA-X', effectiveOn: '2028-01-01', changes: [[]] });
    const write = await api.as(BRAND).post(`/contracts/${id}/amendments`, {
      proposedBy: 'brand',
      documentRef: 'SA-1',
      effectiveOn: '2028-01-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    });
    expect(write.body).toMatchObject({ status: 409, code: 'history.malformed', detail: expect.stringContaining(`contract-${id}@4`) });
    expect((await api.get(`/contracts/${id}?revision=4`)).body).toMatchObject({ status: 409, code: 'history.malformed' });
    // Its history before that event still reads; and to anyone who may not see it, it does not exist.
    expect((await api.get(`/contracts/${id}?revision=3`)).status).toBe(200);
    const stranger = api.as('brand:brand-other');
    const missing = randomUUID();
    const sign = { party: 'brand', signatory: 'X', signedOn: '2027-01-01' };
    for (const [hidden, absent] of [
      [await stranger.post(`/contracts/${id}/signatures`, sign), await stranger.post(`/contracts/${missing}/signatures`, sign)],
      [await stranger.get(`/contracts/${id}?revision=4`), await stranger.get(`/contracts/${missing}?revision=4`)],
    ]) {
      expect([hidden.status, hidden.body.code, hidden.body.detail]).toEqual([404, 'contract.not_found', absent.body.detail]);
    }
    expect(await revisionOf(id)).toBe(5);
  });

  it('answers a contract that does not exist exactly as one the caller may not see, whatever the headers', async () => {
    const id = await draftAndActivate(api);
    const missing = randomUUID();
    const stranger = api.as('brand:brand-other');
    const amend = {
      proposedBy: 'brand',
      documentRef: 'SA-9',
      effectiveOn: '2028-01-01',
      changes: [{ type: 'remove_scope', scope: 'logistics' }],
    };
    const deregistration = { party: 'brand', reason: 'Closed' };
    const probes: Record<string, string>[] = [
      {},
      { 'if-match': '"0"' },
      { 'if-match': '"3"' },
      { 'idempotency-key': 'probe-1' },
      { 'if-match': '"0"', 'idempotency-key': 'probe-2' },
    ];
    for (const headers of probes) {
      const hidden = await stranger.post(`/contracts/${id}/amendments`, amend, headers);
      const absent = await stranger.post(`/contracts/${missing}/amendments`, amend, headers);
      expect({ status: hidden.status, code: hidden.body.code, detail: hidden.body.detail, etag: hidden.headers.get('etag') }).toEqual({
        status: 404,
        code: 'contract.not_found',
        detail: absent.body.detail,
        etag: absent.headers.get('etag'),
      });
      expect(absent.status).toBe(404);
      const hiddenAccount = await stranger.post(`/contracts/${id}/accounts/${randomUUID()}/deregistration`, deregistration, headers);
      const absentAccount = await stranger.post(`/contracts/${missing}/accounts/${randomUUID()}/deregistration`, deregistration, headers);
      expect([hiddenAccount.status, hiddenAccount.body.code]).toEqual([absentAccount.status, absentAccount.body.code]);
      expect(absentAccount.status).toBe(404);
    }
  });

  it('never fails unconditional writes to one contract for contention inside one process (20 clients x 25 writes)', async () => {
    const id = await draftAndActivate(api);
    const operator = api.as(OPERATOR);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        const seen: number[] = [];
        for (let write = 0; write < 25; write += 1) {
          const answer = await operator.post(`/contracts/${id}/accounts`, {
            platform: 'tmall',
            accountName: `cs-${client}-${write}`,
            kind: 'sub_account',
          });
          seen.push(answer.status);
        }
        return seen;
      }),
    );
    const counts = statuses
      .flat()
      .reduce<Record<number, number>>((tally, status) => ({ ...tally, [status]: (tally[status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 201: 500 });
    expect(await revisionOf(id)).toBe(4 + 500);
  });
});
