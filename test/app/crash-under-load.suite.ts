import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { comparePositions, formatPosition, parsePosition, type Position } from '../../src/event-store/event-store.port';
import {
  ackOf,
  ContractLoad,
  runLoad,
  seededRandom,
  send,
  type Ack,
  WRITE_KINDS,
  type WriteKind,
  type WriteRequest,
  type Writer,
} from '../support/crash-load';
import { httpCall, type HttpAnswer } from '../support/http-client';
import { ensureBuilt, startService, stopAllServices, type ServiceProcess } from '../support/service-process';

/**
 * The whole service (`node dist/main.js`, as `npm start` runs it) killed
 * with SIGKILL under HTTP load, round after round on one data folder. After
 * each restart every write the load client saw acknowledged must be in the
 * store, whole and once, every hash chain must verify, and the read models
 * must reach the head again. Shared by the quick spec in `npm test` and the
 * long one in `npm run test:crash`.
 */

export interface CrashUnderLoadOptions {
  readonly rounds: number;
  /** Picks the writes and the kill delays: CRASH_SEED, or a fresh one; printed, so that a run can be replayed. */
  readonly seed?: number;
  /** Concurrent writers. */
  readonly writers?: number;
  /** The kill comes a random delay, up to this, after the round's first acknowledgements. */
  readonly maxKillDelayMs?: number;
}

/** Acknowledgements a round waits for before the kill timer starts. */
const FIRST_ACKS = 5;
/** Bounds: a round that never gets its first acknowledgements, a service that never gets ready. */
const FIRST_ACKS_DEADLINE_MS = 60_000;
const READY_DEADLINE_MS = 120_000;
/** Verification requests in flight at once. */
const VERIFY_CONCURRENCY = 8;
/** About how many acknowledged keyed writes are re-sent after each restart: each must be answered as before, from the log. */
const REPLAYS_PER_ROUND = 3;

export function crashUnderLoadSuite({
  rounds,
  seed = seedFromEnvironment(),
  writers = 24,
  maxKillDelayMs = 1500,
}: CrashUnderLoadOptions): void {
  describe(`the service killed with SIGKILL under HTTP load, ${rounds} times on one data folder`, () => {
    let dataDir = '';
    let env: Record<string, string> = {};

    // `node dist/main.js` is what runs in production, and it starts in half the time of the
    // transpiling loader: over many restarts that pays for the build, done here when dist is stale.
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'crash-load-'));
      env = { DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '1000000', PROJECTION_WAIT_MS: '30000' };
      ensureBuilt();
    }, 300_000);
    let passed = false;
    afterAll(async () => {
      await stopAllServices();
      // A failed run leaves its data for a look (`DATA_DIR=... npm run audit -- verify <id>`).
      if (passed) rmSync(dataDir, { recursive: true, force: true });
      else report(`crash under load failed: its data folder is kept at ${dataDir}`);
    });

    it(
      'loses no acknowledged write, leaves nothing half-written, answers retries once, and its read models reach the head after every restart',
      async () => {
        report(
          `crash under load: seed ${seed} (CRASH_SEED=${seed} draws the same kill delays again), ${rounds} rounds, ${writers} writers, data in ${dataDir}`,
        );
        // Two generators: the kill delays do not depend on how many writes a round got through.
        const killDelays = seededRandom(seed);
        const random = seededRandom(seed ^ 0x5eed);
        const contracts = new ContractLoad(random, seed);
        const everyAck: Ack[] = [];
        const readyTimes: number[] = [];

        let { service, url } = await startReady(env);
        const admin = service.firstKey();
        expect(admin).toMatch(/^chk_/);
        const keys: Record<Writer, string> = {
          brand: await issueKey(url, admin!, { role: 'brand', partyId: 'brand-feiyue', label: 'crash load brand' }),
          operator: await issueKey(url, admin!, { role: 'operator', partyId: 'op-yunshang', label: 'crash load operator' }),
        };
        const auditor = await issueKey(url, admin!, { role: 'auditor', label: 'crash load auditor' });

        for (let round = 1; round <= rounds; round += 1) {
          const killDelayMs = Math.floor(killDelays() * maxKillDelayMs);
          const loaded = await loadAndKill(service, url, keys, contracts, { writers, killDelayMs });
          expect({ round, exit: await service.exited }).toEqual({ round, exit: { code: null, signal: 'SIGKILL' } });
          expect({ round, failedBeforeKill: loaded.failedBeforeKill }).toEqual({ round, failedBeforeKill: [] });
          // Refusals are the domain's or contention's (4xx); a server error under load is a fault.
          expect({ round, serverErrors: [...loaded.refused.keys()].filter((reason) => reason.startsWith('5')) }).toEqual({
            round,
            serverErrors: [],
          });
          expect(loaded.acks.length).toBeGreaterThanOrEqual(FIRST_ACKS);

          let readyMs: number;
          ({ service, url, readyMs } = await startReady(env));
          readyTimes.push(readyMs);

          const retried = await retryInDoubt(
            url,
            keys,
            loaded.inDoubt.filter((request) => request.idempotencyKey !== undefined),
          );
          const keyedAcks = loaded.acks.filter((ack) => ack.request.idempotencyKey !== undefined);
          const resent = keyedAcks.filter(() => random() < REPLAYS_PER_ROUND / keyedAcks.length);
          const replays = await replayAcknowledged(url, keys, resent);
          retried.acks.forEach((ack) => contracts.learn(ack));
          const roundAcks = [...loaded.acks, ...retried.acks];
          everyAck.push(...roundAcks);
          const problems = [...retried.problems, ...replays, ...(await verify(url, auditor, roundAcks, headOf(everyAck)))];
          expect({ round, problems }).toEqual({ round, problems: [] });

          report(
            `round ${round}/${rounds}: killed ${killDelayMs} ms after ack #${FIRST_ACKS}; ${describeAcks(loaded.acks)}, ` +
              `${describeRefused(loaded.refused)}, ${loaded.inDoubt.length} in flight (${retried.acks.length} with a key retried: ` +
              `${retried.acks.filter((ack) => ack.replayed).length} had been written, ${retried.acks.filter((ack) => !ack.replayed).length} written by the retry), ` +
              `${resent.length} acknowledged keyed writes re-sent and answered as before; ` +
              `restart-to-ready ${readyMs} ms; log head ${formatHead(everyAck)}`,
          );
        }

        expect(await verify(url, auditor, everyAck, headOf(everyAck))).toEqual([]);
        expect(await service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
        const sorted = [...readyTimes].sort((a, b) => a - b);
        report(
          `crash under load: ${rounds} kills, ${everyAck.length} acknowledged writes on ${new Set(everyAck.map((ack) => ack.contractId)).size} contracts, ` +
            `none lost; restart-to-ready min ${sorted[0]} / median ${sorted[Math.floor(sorted.length / 2)]} / max ${sorted.at(-1)} ms`,
        );
        passed = true;
      },
      rounds * 90_000 + 120_000,
    );
  });
}

function seedFromEnvironment(): number {
  const given = process.env.CRASH_SEED;
  if (given === undefined) return Math.floor(Math.random() * 2 ** 31);
  if (!/^\d{1,10}$/.test(given)) throw new Error(`CRASH_SEED must be a whole number, not ${given}`);
  return Number(given);
}

/**
 * Runs the load until the round's first acknowledgements, then kills the
 * service (SIGKILL) `killDelayMs` later; resolves once every writer has
 * stopped (the requests in flight at the kill end without an answer).
 */
async function loadAndKill(
  service: ServiceProcess,
  url: string,
  keys: Record<Writer, string>,
  contracts: ContractLoad,
  { writers, killDelayMs }: { writers: number; killDelayMs: number },
) {
  const timers: NodeJS.Timeout[] = [];
  const kill = () => {
    load.stop();
    void service.stop('SIGKILL');
  };
  const load = runLoad(url, keys, contracts, {
    writers,
    onAck: (acks) => {
      if (acks === FIRST_ACKS) timers.push(setTimeout(kill, killDelayMs));
    },
  });
  timers.push(setTimeout(kill, FIRST_ACKS_DEADLINE_MS));
  try {
    return await load.finished;
  } finally {
    timers.forEach(clearTimeout);
    // Writers only stop on their own when requests fail: the kill then still comes.
    kill();
  }
}

/**
 * Re-sends the keyed requests that were in flight at the kill: the first
 * retry writes the request once or answers the write that was made; a second
 * retry must give the same answer, from the log.
 */
async function retryInDoubt(url: string, keys: Record<Writer, string>, requests: readonly WriteRequest[]) {
  const acks: Ack[] = [];
  const problems: string[] = [];
  await Promise.all(
    requests.map(async (request) => {
      const first = await send(url, keys, request);
      if (!isSuccess(first)) {
        problems.push(`the retry of ${describeRequest(request)} answered ${first.status} ${JSON.stringify(first.body)}`);
        return;
      }
      const ack = ackOf(request, first);
      acks.push(ack);
      const again = await send(url, keys, request);
      if (!isSameAnswer(ack, again))
        problems.push(
          `a second retry of ${describeRequest(request)} answered ${again.status} ${JSON.stringify(again.body)}, not ${JSON.stringify(ack.body)}`,
        );
    }),
  );
  return { acks, problems };
}

/** Re-sends acknowledged keyed writes: each must be answered as it was, and write nothing. */
async function replayAcknowledged(url: string, keys: Record<Writer, string>, acks: readonly Ack[]): Promise<string[]> {
  const problems: string[] = [];
  for (const ack of acks) {
    const again = await send(url, keys, ack.request);
    if (!isSameAnswer(ack, again))
      problems.push(
        `re-sending ${describeRequest(ack.request)} answered ${again.status} ${JSON.stringify(again.body)}, not ${JSON.stringify(ack.body)}`,
      );
  }
  return problems;
}

const isSuccess = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

function isSameAnswer(ack: Ack, again: HttpAnswer): boolean {
  return isSuccess(again) && again.headers.get('idempotent-replayed') === 'true' && JSON.stringify(again.body) === JSON.stringify(ack.body);
}

/**
 * Checks acknowledged writes through the API, as an auditor: each one's
 * events are in its contract's stream at the revisions and position it was
 * answered with (once, for a keyed write), revisions are contiguous, the
 * hash chain verifies, the contract's read model reaches at least its
 * revision when read at `head` and equals the stream folded at that
 * revision, and the digest over every stream finds no broken chain.
 * Answers the problems found.
 */
async function verify(url: string, auditor: string, acks: readonly Ack[], head: Position): Promise<string[]> {
  const problems: string[] = [];
  const get = (path: string) => httpCall(url, 'GET', path, undefined, { authorization: `Bearer ${auditor}` }, AbortSignal.timeout(60_000));
  const byContract = new Map<string, Ack[]>();
  for (const ack of acks) byContract.set(ack.contractId, [...(byContract.get(ack.contractId) ?? []), ack]);

  await inBatches([...byContract], VERIFY_CONCURRENCY, async ([contractId, contractAcks]) => {
    const events: HistoryEvent[] = [];
    for (let from: number | null = 0; from !== null;) {
      const page = await get(`/contracts/${contractId}/events?from=${from}&limit=1000`);
      if (page.status !== 200) {
        problems.push(`contract ${contractId}: its history answers ${page.status}; lost: ${contractAcks.map(describeAck).join(', ')}`);
        return;
      }
      events.push(...(page.body.events as HistoryEvent[]));
      from = page.body.nextFrom as number | null;
    }
    if (events.some((event, index) => event.revision !== index)) {
      problems.push(`contract ${contractId}: revisions not contiguous: ${events.map((event) => event.revision).join(',')}`);
    }
    for (const ack of contractAcks) {
      const written = events.slice(ack.revision - ack.recorded.length + 1, ack.revision + 1);
      if (
        written.length !== ack.recorded.length ||
        written.some((event, index) => event.type !== ack.recorded[index]) ||
        (written.at(-1)?.position ?? ack.position) !== ack.position
      ) {
        problems.push(
          `lost: ${describeAck(ack)}; the stream holds ${events.map((event) => `${event.revision}:${event.type}@${event.position}`).join(' ')}`,
        );
      }
      const key = ack.request.idempotencyKey;
      const withKey = events.filter((event) => key !== undefined && event.metadata.idempotencyKey === key);
      if (key !== undefined && (withKey.length !== ack.recorded.length || written.some((event) => event.metadata.idempotencyKey !== key))) {
        problems.push(
          `${describeAck(ack)}: ${withKey.length} events carry its key ${key}, at revisions ${withKey.map((event) => event.revision).join(',')}`,
        );
      }
    }
    const integrity = await get(`/contracts/${contractId}/integrity`);
    if (integrity.status !== 200 || integrity.body.ok !== true || integrity.body.events !== events.length) {
      problems.push(`contract ${contractId}: integrity ${integrity.status} ${JSON.stringify(integrity.body)} over ${events.length} events`);
    }
    const acknowledged = Math.max(...contractAcks.map((ack) => ack.revision));
    const summary = await get(`/contracts/${contractId}?minPosition=${formatPosition(head)}`);
    const projected = Number(/^"(\d+)"$/.exec(summary.headers.get('etag') ?? '')?.[1] ?? -1);
    if (summary.status !== 200 || projected < acknowledged) {
      problems.push(
        `contract ${contractId}: read at minPosition ${formatPosition(head)} answers ${summary.status} at revision ${projected}, acknowledged ${acknowledged}`,
      );
    }
    // The read model, projected across kills, equals the contract folded from its stream at the same revision.
    const folded = await get(`/contracts/${contractId}?revision=${projected}`);
    if (folded.status !== 200 || JSON.stringify(folded.body) !== JSON.stringify(summary.body)) {
      problems.push(
        `contract ${contractId}: the read model at revision ${projected} is ${JSON.stringify(summary.body)}, the stream folds to ${folded.status} ${JSON.stringify(folded.body)}`,
      );
    }
  });

  const digest = await get('/audit/digest');
  const covered = typeof digest.body?.position === 'string' ? parsePosition(digest.body.position as string) : undefined;
  if (digest.status !== 200 || !covered || comparePositions(covered, head) < 0 || (digest.body.broken as unknown[]).length > 0) {
    problems.push(`/audit/digest answers ${digest.status} ${JSON.stringify(digest.body)}, acknowledged up to ${formatPosition(head)}`);
  }
  return problems;
}

interface HistoryEvent {
  readonly revision: number;
  readonly type: string;
  readonly position: string;
  readonly metadata: { readonly idempotencyKey?: string };
}

/** Starts `node dist/main.js` on the data folder and waits until it is ready; `readyMs` counts from the start of the process. */
async function startReady(env: Record<string, string>): Promise<{ service: ServiceProcess; url: string; readyMs: number }> {
  const startedAt = performance.now();
  const service = startService(env, { entry: 'dist' });
  const url = await service.listening;
  await waitReady(service, url);
  return { service, url, readyMs: Math.round(performance.now() - startedAt) };
}

/** Polls /health/ready until 200; a service that never gets ready fails the test with its last answer and output. */
async function waitReady(service: ServiceProcess, url: string): Promise<void> {
  const deadline = performance.now() + READY_DEADLINE_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const answer = await httpCall(url, 'GET', '/health/ready', undefined, {}, AbortSignal.timeout(10_000));
      if (answer.status === 200) return;
      last = `${answer.status} ${JSON.stringify(answer.body)}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(25);
  }
  throw new Error(`not ready after ${READY_DEADLINE_MS} ms; last answer ${last}; output:\n${service.output.join('\n')}`);
}

async function issueKey(url: string, admin: string, body: { role: string; partyId?: string; label: string }): Promise<string> {
  const answer = await httpCall(url, 'POST', '/admin/keys', body, { authorization: `Bearer ${admin}` });
  expect(answer.status).toBe(201);
  return answer.body.key as string;
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}

/** The highest position of any acknowledged write. */
function headOf(acks: readonly Ack[]): Position {
  return acks
    .map((ack) => parsePosition(ack.position)!)
    .reduce((head, position) => (comparePositions(position, head) > 0 ? position : head));
}

const formatHead = (acks: readonly Ack[]) => formatPosition(headOf(acks));
const describeRequest = (request: WriteRequest) =>
  `${request.kind} POST ${request.path}${request.idempotencyKey ? ` (Idempotency-Key ${request.idempotencyKey})` : ''}`;
const describeAck = (ack: Ack) =>
  `${describeRequest(ack.request)} answered revision ${ack.revision} position ${ack.position} [${ack.recorded.join(', ')}]`;

function describeAcks(acks: readonly Ack[]): string {
  const count = (kind: WriteKind) => acks.filter((ack) => ack.request.kind === kind).length;
  return `${acks.length} writes acked (${WRITE_KINDS.map((kind) => `${kind} ${count(kind)}`).join(', ')}; ${acks.filter((ack) => ack.request.idempotencyKey).length} with a key)`;
}

function describeRefused(refused: ReadonlyMap<string, number>): string {
  const total = [...refused.values()].reduce((sum, count) => sum + count, 0);
  return total === 0 ? 'none refused' : `${total} refused (${[...refused].map(([reason, count]) => `${reason}: ${count}`).join(', ')})`;
}

/** Figures go straight to the terminal, one line a round, without Jest's console decoration. */
function report(line: string): void {
  process.stderr.write(`${line}\n`);
}
