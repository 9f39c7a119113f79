import { cpus } from 'node:os';
import { Random, SchemaGenerator, type Hints, type OpenApiDocument, type Operation, type Schema } from './generate';
import {
  BAD_DATES,
  badPathId,
  CONTENT_TYPES,
  mutateBody,
  needsRawSocket,
  ODD_HEADERS,
  ODD_QUERY_KEYS,
  ODD_QUERY_VALUES,
  SWEEP_LENGTH,
  toJson,
} from './mutate';
import { send, startService, type Answer, type Service, type WireRequest } from './service';
import { Api, CALLERS, DEFAULT_PLAN, Fixtures, paramFor, PLANS, type Caller, type Target, type TargetState } from './targets';

/**
 * The fuzz campaign: for every write route of /docs-json, schema-valid
 * requests aimed at real targets, then mutated; bad queries on the reads;
 * and at the end the oracle. Refusals (4xx) are the expected answers to
 * hostile input; only these count as failures: a 5xx or no answer, a planted
 * secret accepted, a contract unreadable after a write it accepted, the
 * service not ready at the end, a contract whose hash chain does not verify.
 */
export interface FuzzOptions {
  readonly seed: number;
  /** Requests per write route (POST and DELETE). */
  readonly perWriteRoute: number;
  /** Requests per read route (GET). */
  readonly perReadRoute: number;
  /** A fresh target every so many requests: fuzzed writes move contracts on (a valid termination ends an active one). */
  readonly refreshEvery: number;
  /** Progress lines (the command line prints them; the spec does not). */
  readonly progress?: (line: string) => void;
  /** Every request and its status, for routes containing this text (`npm run fuzz -- --trace amendments`). */
  readonly trace?: string;
}

export type FailureKind =
  '5xx' | 'no answer' | 'secret accepted' | 'unreadable after write' | 'not ready' | 'integrity' | 'setup' | 'service died';

export interface Failure {
  readonly kind: FailureKind;
  readonly route: string;
  /** What was done to the valid request. */
  readonly labels: readonly string[];
  readonly request?: WireRequest;
  readonly status?: number;
  readonly answer?: string;
  /** For a failure seen after a write (the read that failed): the write before it. */
  readonly after?: WireRequest;
  /** The request ids the service gave the failing request and the write before it. */
  readonly requestId?: string;
  readonly afterRequestId?: string;
  /** What the service logged about it: the error behind a 5xx, the projection a write stopped. */
  serverError?: string;
}

export interface RouteStats {
  readonly route: string;
  requests: number;
  readonly statuses: Map<number, number>;
}

export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly durationMs: number;
  readonly machine: string;
  readonly routes: readonly RouteStats[];
  readonly failures: readonly Failure[];
}

const BODY_LIMIT = 65_536;
const SERVICE_ENV = {
  // The fuzzer is one client sending tens of thousands of requests a minute, and some with bad keys.
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_FAILURES_PER_MINUTE: '10000',
  BODY_LIMIT_BYTES: String(BODY_LIMIT),
  PROJECTION_WAIT_MS: '3000',
  LOG_LEVEL: 'error',
};

/** Query schemas by route: Nest's OpenAPI document lists the read DTOs as components but not as the routes' parameters. */
/** A bad calendar date, garbage, a negative and a zero: what every query parameter meets first. */
const CANONICAL_BAD_QUERY = ['2027-13-01', 'garbage', '-1', '0'];

const QUERY_SCHEMAS: Readonly<Record<string, string>> = {
  '/contracts': 'ContractListQueryDto',
  '/contracts/{id}': 'ContractReadQuery',
  '/contracts/{id}/handover': 'HandoverReadQuery',
  '/contracts/{id}/events': 'EventsQuery',
  '/contracts/{id}/ledger': 'LedgerReadQuery',
  '/contracts/{id}/statements/{statementId}': 'LedgerReadQuery',
  '/ledger/receivables': 'ReceivablesQuery',
  '/ledger/payables': 'PayablesQuery',
};

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const service = await startService(SERVICE_ENV);
  try {
    const campaign = await Campaign.open(service, options);
    await campaign.run();
    // The service's last log lines are still in the pipe: a moment, then each failure gets what was logged about it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const failure of campaign.failures)
      failure.serverError = service.errors.get(failure.requestId ?? '') ?? service.errors.get(failure.afterRequestId ?? '');
    return {
      seed: options.seed,
      requests: campaign.requests,
      durationMs: Date.now() - started,
      machine: machine(),
      routes: [...campaign.stats.values()],
      failures: campaign.failures,
    };
  } finally {
    await service.stop();
  }
}

export function machine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
}

class Campaign {
  readonly stats = new Map<string, RouteStats>();
  readonly failures: Failure[] = [];
  requests = 0;
  private readonly generator: SchemaGenerator;
  private readonly fixtures: Fixtures;
  /** Contracts in each lifecycle state, for path ids aimed at the wrong contract. */
  private otherIds: string[] = [];
  /** The last global position a write reported: reads ask for it (never a future one, which is a legitimate 503 after the wait). */
  private lastPosition = '0';
  private readSideStopped = false;
  private readonly idempotencyKeys: string[] = [];

  private constructor(
    private readonly service: Service,
    private readonly api: Api,
    private readonly document: OpenApiDocument,
    private readonly options: FuzzOptions,
  ) {
    this.generator = new SchemaGenerator(document);
    this.fixtures = new Fixtures(api);
  }

  static async open(service: Service, options: FuzzOptions): Promise<Campaign> {
    const api = await Api.withKeys(service);
    const docs = await send(service.url, { method: 'GET', path: '/docs-json', headers: {} });
    if (docs.status !== 200) throw new Error(`/docs-json answered ${docs.status}`);
    return new Campaign(service, api, JSON.parse(docs.body) as OpenApiDocument, options);
  }

  async run(): Promise<void> {
    const states: TargetState[] = ['drafted', 'active', 'terminated', 'closed'];
    this.otherIds = (await Promise.all(states.map((state) => this.fixtures.build(state)))).map((target) => target.id!);
    const operations = Object.entries(this.document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
    for (const { method, path, operation } of operations.filter(({ method }) => method === 'POST' || method === 'DELETE')) {
      await this.fuzzWrite(method, path, operation);
    }
    for (const { path, operation } of operations.filter(({ method }) => method === 'GET')) {
      await this.fuzzRead(path, operation);
    }
    await this.checkOracle();
  }

  private async fuzzWrite(method: string, template: string, operation: Operation): Promise<void> {
    const route = `${method} ${template}`;
    const plan = PLANS[route] ?? DEFAULT_PLAN;
    const random = Random.derive(this.options.seed, route);
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    let target: Target | undefined;
    for (let index = 0; index < this.options.perWriteRoute; index++) {
      if (index % this.options.refreshEvery === 0 || target === undefined) target = (await this.target(route, plan.state)) ?? target;
      if (target === undefined) return;
      const params = Object.fromEntries(pathParams(template).map((name) => [name, paramFor(name, target!, random)]));
      const hints: Hints = plan.hints?.(target, random, params) ?? {};
      const generated = bodySchema ? this.generator.generate(bodySchema, random, hints) : undefined;
      const labels: string[] = [];
      let plantedSecret = false;
      let body: string | undefined = generated ? toJson(generated.value) : undefined;
      let contentType: string | undefined = 'application/json';
      const headers: Record<string, string> = {};
      // The route's first requests sweep every body mutation once; then one kind of hostility a
      // request, at random: the answer then says what it did to an otherwise valid request.
      const sweeping = generated !== undefined && index < SWEEP_LENGTH;
      const roll = sweeping ? 0.5 : random.next();
      if (roll < 0.1) labels.push('valid');
      else if (roll < 0.65 && generated) {
        const mutated = mutateBody(generated, random, BODY_LIMIT, sweeping ? index : undefined);
        body = toJson(mutated.value);
        labels.push(...mutated.labels);
        plantedSecret = mutated.plantedSecret;
      } else if (roll < 0.8) labels.push(this.hostileHeader(random, headers, target));
      else if (roll < 0.9 && Object.keys(params).length > 0) {
        const name = random.pick(Object.keys(params));
        params[name] = badPathId(random, this.otherIds);
        labels.push(`path ${name}: ${params[name]}`.slice(0, 80));
      } else if (random.chance(0.3)) {
        body = random.pick(['', ' ', 'null', '""']);
        labels.push(`body ${JSON.stringify(body)} as JSON`);
      } else {
        contentType = random.pick(CONTENT_TYPES);
        labels.push(`content-type ${JSON.stringify(contentType)}`);
        // A DELETE has no body: with a content type, it gets one.
        if (body === undefined && contentType !== undefined) body = '{}';
      }
      if (contentType !== undefined && body !== undefined) headers['content-type'] = contentType;
      // A swept mutation goes alone, from a caller the route is for: its answer is about that mutation only.
      if (sweeping) headers.authorization = this.api.bearer(random.pick(plan.callers));
      else this.callerHeader(random, plan.callers, headers, labels);
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
      const wire: WireRequest = { method, path, headers, ...(body === undefined ? {} : { body }) };
      const answer = await this.send(route, wire, labels);
      if (answer.status >= 200 && answer.status < 300) {
        if (plantedSecret)
          this.fail({
            kind: 'secret accepted',
            route,
            labels,
            request: wire,
            status: answer.status,
            answer: answer.body,
            requestId: requestIdOf(answer),
          });
        await this.readAfterWrite(route, wire, answer);
        if (typeof answer.headers.etag === 'string') target = { ...target, revision: Number(answer.headers.etag.replace(/\D/g, '')) };
      }
    }
  }

  /** A read of every GET route with odd queries and ids, as several callers. */
  private async fuzzRead(template: string, operation: Operation): Promise<void> {
    const route = `GET ${template}`;
    const random = Random.derive(this.options.seed, route);
    const named = QUERY_SCHEMAS[template] ?? (template.includes('{id}') ? 'ConsistentReadQuery' : undefined);
    const fromComponent = named === undefined ? {} : (this.document.components?.schemas?.[named]?.properties ?? {});
    const fromParameters = Object.fromEntries(
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, parameter.schema ?? {}]),
    );
    const querySchemas: Record<string, Schema> = { ...fromComponent, ...fromParameters };
    const names = Object.keys(querySchemas);
    // The sweep first: each query parameter alone with each canonical bad value; then random mixes.
    const sweep = names.flatMap((name) => CANONICAL_BAD_QUERY.map((value) => [name, value] as const));
    for (let index = 0; index < this.options.perReadRoute; index++) {
      const labels: string[] = [];
      const query: [string, string][] = [];
      // A swept value goes alone, as the admin on a real contract: its answer is about that value only.
      const sweeping = index < sweep.length;
      if (sweeping) {
        query.push([...sweep[index]]);
        labels.push(`?${sweep[index][0]}=${sweep[index][1]}`);
      } else {
        for (const name of names) {
          if (!random.chance(0.4)) continue;
          const valid = name === 'minPosition' ? this.lastPosition : String(this.generator.generate(querySchemas[name], random, {}).value);
          // A well-formed position beyond the log is answered 503 after the wait, by design: minPosition gets only malformed odd values.
          const odd = [...ODD_QUERY_VALUES, ...BAD_DATES].filter((value) => name !== 'minPosition' || !/^\d+$/.test(value));
          const value = random.chance(0.5) ? valid : random.pick(odd);
          query.push([name, value]);
          if (value !== valid) labels.push(`?${name}=${value.slice(0, 30)}`);
        }
      }
      if (!sweeping && random.chance(0.1)) {
        query.push([random.pick(ODD_QUERY_KEYS), random.pick(ODD_QUERY_VALUES)]);
        labels.push(`odd key ${query[query.length - 1][0]}`);
      }
      const id = sweeping || random.chance(0.8) ? random.pick(this.otherIds) : badPathId(random, this.otherIds);
      const search = query
        .map(([name, value]) => `${encodeURIComponent(name)}=${/^%/.test(value) ? value : encodeURIComponent(value)}`)
        .join('&');
      const path = template.replace(/\{(\w+)\}/g, () => id) + (search ? `?${search}` : '');
      const headers: Record<string, string> = {};
      if (sweeping) headers.authorization = this.api.bearer('admin');
      else this.callerHeader(random, CALLERS, headers, labels);
      await this.send(route, { method: 'GET', path, headers }, labels.length > 0 ? labels : ['valid']);
    }
  }

  private async send(route: string, request: WireRequest, labels: readonly string[]): Promise<Answer> {
    const wire = { ...request, raw: Object.values(request.headers).some(needsRawSocket) };
    const answer = await send(this.service.url, wire);
    this.requests++;
    if (this.options.trace !== undefined && route.includes(this.options.trace)) {
      this.options.progress?.(
        `${answer.status} [${labels.join('; ')}]\n${formatRequest(this.redacted(wire))}\n  -> ${truncate(answer.body, 200)}`,
      );
    }
    const stats = this.stats.get(route) ?? { route, requests: 0, statuses: new Map<number, number>() };
    this.stats.set(route, stats);
    stats.requests++;
    stats.statuses.set(answer.status, (stats.statuses.get(answer.status) ?? 0) + 1);
    // A health route's 503 is its answer that the service is not ready, and a read's 503 `read_models.stopped`
    // is the documented answer once the read side has stopped: the readiness oracle judges that, and the
    // read after each accepted write names the write that stopped it.
    const notReady = answer.status === 503 && (route.startsWith('GET /health') || answer.body.includes('"read_models.stopped"'));
    if ((answer.status >= 500 && !notReady) || answer.status === 0) {
      this.fail({
        kind: answer.status === 0 ? 'no answer' : '5xx',
        route,
        labels,
        request: wire,
        status: answer.status,
        answer: answer.error ?? answer.body,
        requestId: requestIdOf(answer),
      });
    }
    if (this.requests % 1000 === 0) this.options.progress?.(`${this.requests} requests, now ${route}`);
    return answer;
  }

  /**
   * After a write the service accepted, the contract must still read: from
   * the read models with the write's position while they run, else folded
   * from its stream (a stopped read side is reported once, with the write
   * that stopped it).
   */
  private async readAfterWrite(route: string, write: WireRequest, answer: Answer): Promise<void> {
    let written: { contractId?: unknown; position?: unknown; revision?: unknown };
    try {
      written = JSON.parse(answer.body) as typeof written;
    } catch {
      return;
    }
    if (typeof written.position === 'string') this.lastPosition = written.position;
    if (typeof written.contractId !== 'string') return;
    this.fixtures.contracts.add(written.contractId);
    const query = this.readSideStopped ? `revision=${Number(written.revision)}` : `minPosition=${String(written.position)}`;
    // As the admin, who sees every contract in every state.
    const readRequest: WireRequest = {
      method: 'GET',
      path: `/contracts/${written.contractId}?${query}`,
      headers: { authorization: this.api.bearer('admin') },
    };
    const read = await send(this.service.url, readRequest);
    if (read.status === 200) return;
    const stopped = !this.readSideStopped && (await this.api.call('admin', 'GET', '/health/ready')).status !== 200;
    this.readSideStopped ||= stopped;
    this.fail({
      kind: 'unreadable after write',
      route,
      labels: [stopped ? 'the read side stopped after it' : `GET ?${query} answered ${read.status}`],
      after: write,
      request: readRequest,
      status: read.status,
      answer: read.body,
      // What the service logged: the read's own error, else what the write did (the projection it stopped).
      requestId: requestIdOf(read),
      afterRequestId: requestIdOf(answer),
    });
  }

  private async target(route: string, state: TargetState): Promise<Target | undefined> {
    try {
      return await this.fixtures.build(state);
    } catch (error) {
      this.fail({ kind: 'setup', route, labels: [`building a ${state} target`], answer: String(error) });
      return undefined;
    }
  }

  /** One odd header on an otherwise valid request (a valid If-Match or Idempotency-Key now and then). */
  private hostileHeader(random: Random, headers: Record<string, string>, target: Target): string {
    const roll = random.next();
    if (roll < 0.15 && target.revision !== undefined) {
      headers['if-match'] = random.pick([`"${target.revision}"`, `"${Math.max(target.revision - 1, 0)}"`, `W/"${target.revision}"`]);
      return `if-match ${headers['if-match']}`;
    }
    if (roll < 0.3) {
      // A fresh key, or one sent before (same body: a replay; another body: 422).
      const key = this.idempotencyKeys.length > 0 && random.chance(0.5) ? random.pick(this.idempotencyKeys) : random.uuid();
      this.idempotencyKeys.push(key);
      if (this.idempotencyKeys.length > 50) this.idempotencyKeys.shift();
      headers['idempotency-key'] = key;
      return `idempotency-key ${key}`;
    }
    const name = random.pick(Object.keys(ODD_HEADERS).filter((header) => header !== 'authorization'));
    headers[name] = random.pick(ODD_HEADERS[name]);
    return `${name} ${JSON.stringify(headers[name].slice(0, 40))}${headers[name].length > 40 ? `... (${headers[name].length} chars)` : ''}`;
  }

  /** Mostly a caller the route is for; sometimes another role; sometimes a bad Authorization header. */
  private callerHeader(random: Random, callers: readonly Caller[], headers: Record<string, string>, labels: string[]): Caller {
    const roll = random.next();
    const caller = roll < 0.85 ? random.pick(callers) : random.pick(CALLERS);
    if (roll >= 0.93) {
      const odd = random.pick(ODD_HEADERS.authorization);
      if (odd !== '') headers.authorization = odd;
      labels.push(`authorization ${JSON.stringify(odd.slice(0, 30))}`);
    } else headers.authorization = this.api.bearer(caller);
    return caller;
  }

  /** At the end: the service alive and ready, and every contract's hash chain intact. */
  private async checkOracle(): Promise<void> {
    if (!this.service.alive()) {
      this.fail({ kind: 'service died', route: '(process)', labels: [], answer: this.service.output.slice(-30).join('\n') });
      return;
    }
    let ready: Answer | undefined;
    // Right after the last write the read models may still be catching up: readiness gets a few seconds.
    for (let attempt = 0; attempt < 20 && ready?.status !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      ready = await send(this.service.url, { method: 'GET', path: '/health/ready', headers: {} });
    }
    if (ready?.status !== 200)
      this.fail({ kind: 'not ready', route: 'GET /health/ready', labels: ['at the end'], status: ready?.status, answer: ready?.body });
    for (const id of await this.allContracts()) {
      const answer = await this.api.call('auditor', 'GET', `/contracts/${id}/integrity`);
      let ok = false;
      try {
        ok = answer.status === 200 && (JSON.parse(answer.body) as { ok?: unknown }).ok === true;
      } catch {
        ok = false;
      }
      if (!ok)
        this.fail({ kind: 'integrity', route: 'GET /contracts/{id}/integrity', labels: [id], status: answer.status, answer: answer.body });
    }
  }

  /** Every contract the run drafted, and every one the list shows (an admin sees all). */
  private async allContracts(): Promise<Set<string>> {
    const ids = new Set([...this.fixtures.contracts, ...this.otherIds]);
    let after: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const answer = await this.api.call('admin', 'GET', `/contracts?limit=100${after ? `&after=${after}` : ''}`);
      if (answer.status !== 200) break;
      const { contracts, nextCursor } = JSON.parse(answer.body) as { contracts?: { contractId: string }[]; nextCursor?: string | null };
      for (const contract of contracts ?? []) ids.add(contract.contractId);
      if (!nextCursor) break;
      after = nextCursor;
    }
    return ids;
  }

  private fail(failure: Failure): void {
    this.failures.push({
      ...failure,
      ...(failure.request ? { request: this.redacted(failure.request) } : {}),
      ...(failure.after ? { after: this.redacted(failure.after) } : {}),
    });
  }

  /** Keys are secrets: a printed request names the caller instead. */
  private redacted(wire: WireRequest): WireRequest {
    const authorization = wire.headers.authorization;
    const caller = [...this.api.keys].find(([, key]) => authorization === `Bearer ${key}`)?.[0];
    return caller ? { ...wire, headers: { ...wire.headers, authorization: `Bearer <key of ${caller}>` } } : wire;
  }
}

function requestIdOf(answer: Answer): string | undefined {
  const id = answer.headers['x-request-id'];
  return typeof id === 'string' ? id : undefined;
}

function pathParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}... (${text.length} chars)` : text);

export function formatRequest(wire: WireRequest): string {
  const headers = Object.entries(wire.headers).map(([name, value]) => `  ${name}: ${JSON.stringify(truncate(value, 120)).slice(1, -1)}`);
  return [
    `  ${wire.method} ${truncate(wire.path, 200)}${wire.raw ? '   (raw socket)' : ''}`,
    ...headers,
    ...(wire.body === undefined ? [] : [`  body: ${truncate(wire.body, 400)}`]),
  ].join('\n');
}

export function formatFailure(failure: Failure): string {
  return [
    `${failure.kind} on ${failure.route} [${failure.labels.join('; ')}]`,
    ...(failure.after ? ['after the write (answered 2xx):', formatRequest(failure.after), 'the read:'] : []),
    ...(failure.request ? [formatRequest(failure.request)] : []),
    `  -> ${failure.status ?? ''} ${truncate(failure.answer ?? '', 400)}`,
    ...(failure.serverError ? [`  service log: ${truncate(failure.serverError, 300)}`] : []),
  ].join('\n');
}

/**
 * Failures grouped into classes: by kind, status and what the service logged
 * (ids and numbers blanked), else by the mutations made; each class shown by
 * its simplest reproducer (the fewest mutations), with the routes it hit.
 */
export function failureClasses(
  failures: readonly Failure[],
): { key: string; count: number; example: Failure; routes: string[]; labels: string[] }[] {
  const groups = new Map<string, { key: string; count: number; example: Failure; routes: Set<string>; labels: Set<string> }>();
  const mutations = (failure: Failure) =>
    [...new Set(failure.labels.map((label) => label.replace(/^[^:]*: /, '').replace(/\d+/g, 'N')))].sort().join(', ');
  for (const failure of failures) {
    // A planted secret accepted is one class whatever else the request carried.
    const cause =
      failure.serverError?.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').replace(/\d+/g, 'N') ??
      (failure.kind === 'secret accepted' ? 'a planted secret' : mutations(failure));
    const key = `${failure.kind} ${failure.status ?? ''}: ${cause}`;
    const group = groups.get(key) ?? { key, count: 0, example: failure, routes: new Set<string>(), labels: new Set<string>() };
    groups.set(key, group);
    group.count++;
    group.routes.add(failure.route);
    for (const label of failure.labels) group.labels.add(label.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"..."'));
    if (failure.labels.length < group.example.labels.length) group.example = failure;
  }
  return [...groups.values()].map((group) => ({ ...group, routes: [...group.routes], labels: [...group.labels].slice(0, 8) }));
}

export function formatReport(report: FuzzReport): string {
  const statuses = [...new Set(report.routes.flatMap((route) => [...route.statuses.keys()]))].sort((a, b) => a - b);
  const width = Math.max(...report.routes.map((route) => route.route.length), 5);
  const rows = [
    `${'route'.padEnd(width)}  ${'requests'.padStart(8)}  ${statuses.map((status) => String(status).padStart(5)).join(' ')}`,
    ...report.routes.map(
      (route) =>
        `${route.route.padEnd(width)}  ${String(route.requests).padStart(8)}  ${statuses.map((status) => String(route.statuses.get(status) ?? '').padStart(5)).join(' ')}`,
    ),
  ];
  const classes = failureClasses(report.failures);
  return [
    `fuzz seed ${report.seed}: ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s on ${report.machine}`,
    '(status 0: no answer; -1: not sendable by the client)',
    ...rows,
    report.failures.length === 0
      ? 'oracle: no 5xx, no planted secret accepted, every accepted write readable, ready at the end, every contract verifies'
      : `FAILED: ${report.failures.length} failures in ${classes.length} classes`,
    ...classes.map(
      (group) =>
        `\n[${group.count}x] ${group.key}\n  on: ${group.routes.join(', ')}\n  seen with: ${group.labels.join(' | ')}\n${formatFailure(group.example)}`,
    ),
  ].join('\n');
}
