import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, formatPosition } from '../../src/event-store/event-store.port';
import { ExpiryScheduler } from '../../src/contracts/read-side/expiry-scheduler';
import { agree, BRAND, DRAFT, draftAndActivate, MUTUAL_TERMINATION, OPERATOR } from '../support/contract-api';
import { EsdbStandIn } from '../support/esdb-stand-in';
import { captureLogs, startTestApp, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';
import { TestClock } from '../support/test-clock';

/** The story's contract runs from 2027-01-01 to 2029-12-31 (DRAFT). */
const TERM_END = '2029-12-31';
/** Before midnight in Shanghai on the last day of the term... */
const BEFORE_THE_END = '2029-12-30T15:59:59Z';
/** ...and midnight there: the term has ended in the business time zone, though it is still the 30th in UTC. */
const AT_THE_END = '2029-12-30T16:00:00Z';
/** Passes run when a test says so: the timed one comes only at start, and then after a day. */
const ONLY_WHEN_TOLD = { EXPIRY_CHECK_INTERVAL_MS: '86400000' };

const runPass = (api: TestApi, limit?: number) => api.app.get(ExpiryScheduler).runOnce(limit);

/** A read once the read models hold every write so far: the scheduler's answer no client, so none waits for them. */
async function readNow(api: TestApi, path: string) {
  const head = await api.app.get(EventStore).headPosition();
  return api.get(`${path}?minPosition=${formatPosition(head!)}`);
}

/** The types of the contract's stored events, from the store itself. */
async function eventTypes(api: TestApi, contractId: string): Promise<string[]> {
  return (await api.get(`/contracts/${contractId}/events`)).body.events.map((event: { type: string }) => event.type);
}

const count = (types: readonly string[], type: string) => types.filter((candidate) => candidate === type).length;

describe('expiry', () => {
  describe('on one instance', () => {
    const clock = new TestClock(BEFORE_THE_END);
    const logs = captureLogs();
    let api: TestApi;
    beforeEach(async () => {
      clock.set(BEFORE_THE_END);
      logs.lines.length = 0;
      api = await startTestApp(ONLY_WHEN_TOLD, { clock, logDestination: logs });
    });
    afterEach(async () => {
      await api.stop();
    });

    it('is recorded when the term has ended in the business time zone, not before, and starts the handover', async () => {
      const id = await draftAndActivate(api);

      expect(await runPass(api)).toEqual({ recorded: [], refused: [] });
      expect((await readNow(api, `/contracts/${id}`)).body.status).toBe('active');

      clock.set(AT_THE_END);
      expect(await runPass(api)).toEqual({ recorded: [id], refused: [] });
      expect((await readNow(api, `/contracts/${id}`)).body).toMatchObject({
        status: 'terminated',
        termination: { grounds: { type: 'expiry' }, effectiveOn: TERM_END },
      });
      expect((await readNow(api, `/contracts/${id}/handover`)).body).toMatchObject({
        progress: { completed: 0, open: expect.any(Number) },
        items: expect.arrayContaining([expect.objectContaining({ status: 'open' })]),
      });
      const { events } = (await api.get(`/contracts/${id}/events`)).body;
      expect(events.slice(-2)).toEqual([
        expect.objectContaining({
          type: 'ContractExpired',
          data: { expiredOn: TERM_END },
          metadata: expect.objectContaining({ actor: 'service:expiry-scheduler', recordedAt: new Date(AT_THE_END).toISOString() }),
        }),
        expect.objectContaining({ type: 'HandoverStarted' }),
      ]);
      const messages = logs.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages).toContain(`Recorded the expiry of contract ${id}: its term ended on ${TERM_END}`);

      // Nothing more to record, however many passes follow.
      expect(await runPass(api)).toEqual({ recorded: [], refused: [] });
      expect(count(await eventTypes(api, id), 'ContractExpired')).toBe(1);
    });

    it('leaves a contract terminated before its end alone, and expires an extended one at its new end, not the old', async () => {
      const terminated = await draftAndActivate(api);
      expect((await api.as(OPERATOR).post(`/contracts/${terminated}/termination`, MUTUAL_TERMINATION)).status).toBe(201);
      const extended = await draftAndActivate(api);
      await agree(api, extended, {
        documentRef: 'SA-2029-06',
        effectiveOn: '2029-06-01',
        changes: [{ type: 'extend_term', endsOn: '2030-12-31' }],
      });
      const before = await eventTypes(api, terminated);

      clock.set('2030-01-01T00:00:00+08:00');
      expect(await runPass(api)).toEqual({ recorded: [], refused: [] });
      expect((await readNow(api, `/contracts/${extended}`)).body.status).toBe('active');

      clock.set('2030-12-31T00:00:00+08:00');
      expect(await runPass(api)).toEqual({ recorded: [extended], refused: [] });
      expect((await readNow(api, `/contracts/${extended}`)).body.termination).toEqual({
        grounds: { type: 'expiry' },
        effectiveOn: '2030-12-31',
      });
      expect(await eventTypes(api, terminated)).toEqual(before);
    });

    it('takes a bounded number of contracts a pass, and goes on past one it cannot record', async () => {
      const poisoned = await draftAndActivate(api);
      // An event the write side once accepted and now cannot read: the contract cannot change until it is repaired.
      plantEvent(api.dataDir, poisoned, 'ContractAmended', {
        amendmentId: 'a-1',
        documentRef: 'SA-1',
        effectiveOn: '2027-06-01',
        changes: [[]],
      });
      const others = [await draftAndActivate(api), await draftAndActivate(api), await draftAndActivate(api)];
      clock.set(AT_THE_END);

      const first = await runPass(api, 2);
      const second = await runPass(api, 2);
      for (const pass of [first, second]) expect(pass.recorded.length + pass.refused.length).toBe(2);
      expect([...first.recorded, ...second.recorded].sort()).toEqual([...others].sort());
      expect([...first.refused, ...second.refused]).toEqual([poisoned]);
      // Each pass starts over from the first once every contract was visited: the refused one is tried again, alone.
      expect(await runPass(api, 2)).toEqual({ recorded: [], refused: [poisoned] });

      const warnings = logs.lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
      expect(warnings.map((line) => line.msg)).toContainEqual(
        expect.stringMatching(new RegExp(`^Could not record the expiry of contract ${poisoned} \\(history\\.malformed\\): `)),
      );
      for (const id of others) expect((await readNow(api, `/contracts/${id}`)).body.status).toBe('terminated');
    });
  });

  it('is recorded on start after a restart past the end, on the same data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'expiry-'));
    const clock = new TestClock(BEFORE_THE_END);
    let api = await startTestApp({ DATA_DIR: dataDir }, { clock });
    try {
      const id = await draftAndActivate(api);
      await api.stop();
      clock.set(AT_THE_END);
      api = await startTestApp({ DATA_DIR: dataDir }, { clock });

      // No pass asked for: the one at start records it.
      let status: string | undefined;
      for (let attempt = 0; attempt < 200 && status !== 'terminated'; attempt += 1) {
        status = (await readNow(api, `/contracts/${id}`)).body.status;
        if (status !== 'terminated') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe('terminated');
      expect(count(await eventTypes(api, id), 'ContractExpired')).toBe(1);
    } finally {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is recorded exactly once when two instances on one EventStoreDB both record it, again and again at once', async () => {
    const standIn = await EsdbStandIn.start();
    const clock = new TestClock(BEFORE_THE_END);
    const env = { ...ONLY_WHEN_TOLD, EVENTSTORE_CONNECTION_STRING: standIn.connectionString };
    const instances = [await startTestApp(env, { clock }), await startTestApp(env, { clock })];
    try {
      const [first] = instances;
      const ids = [await draftAndActivate(first), await draftAndActivate(first), await draftAndActivate(first)];
      // A draft: nothing to expire, on either instance.
      await first.as(BRAND).post('/contracts', DRAFT);
      clock.set(AT_THE_END);

      const passes = await Promise.all(instances.flatMap((api) => [runPass(api), runPass(api), runPass(api)]));
      expect(passes.flatMap((pass) => pass.refused)).toEqual([]);
      expect(passes.flatMap((pass) => pass.recorded).sort()).toEqual([...ids].sort());
      for (const id of ids) {
        for (const api of instances) expect(count(await eventTypes(api, id), 'ContractExpired')).toBe(1);
      }
    } finally {
      for (const api of instances) await api.stop();
      await standIn.stop();
    }
  });
});
