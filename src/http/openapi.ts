import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type ResponsesObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { RESPONSE_HEADERS, type Answer, type OpenApiContribution, type OperationDoc } from './openapi-parts';
import type { ProblemCodes } from './openapi-problems';
import { handlerArguments, operationPrefixes } from './openapi-routes';
import { propertiesOf, queryParameters, requestSchemas, type Schemas } from './openapi-schemas';

/** What each status means, whatever the route; the codes possible on a route are listed with it. */
const STATUS_MEANING: Record<number, string> = {
  400: 'Bad request: `errors` names each bad field; `request.secret_refused` for anything that looks like a secret',
  401: 'Missing or bad API key',
  403: 'The key may not do this (role, or not its side of the contract)',
  404: 'No such contract or part of it, or not one this key may see',
  409: "The contract's state forbids it (already signed, not active, open items ...)",
  412: 'If-Match names a stale revision: `currentRevision` says the current one',
  413: 'Body too large',
  415: 'The API speaks JSON only',
  422: "The request contradicts the contract's rules (own breach, clause not granted ...)",
  429: 'Rate limited: see Retry-After',
  503: 'The event store or the read models are not available in time',
};
/** Headers on answers of a status, whatever the route. */
const HEADERS_OF_STATUS: Record<number, string[]> = { 401: ['WWW-Authenticate'], 429: ['Retry-After'] };

const PROBLEM_DETAILS: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details with a stable `code`',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:problem:contract.already_signed' },
    title: { type: 'string' },
    status: { type: 'integer', example: 409 },
    code: { type: 'string', example: 'contract.already_signed' },
    detail: { type: 'string', example: 'The brand has already signed this contract.' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } } },
    },
    field: { type: 'string', description: 'With `request.secret_refused`: where the secret was' },
    header: { type: 'string', description: 'With `request.invalid_header`: which header' },
    currentRevision: { type: 'integer', nullable: true },
    splitAt: {
      type: 'string',
      format: 'date',
      description: 'With `sales_report.straddles_commission_change`: the first day under the new commission, where to split the report',
    },
    blockers: {
      type: 'array',
      items: { type: 'object' },
      description: 'With `statement.reports_incomplete`: per shop, the days no confirmed report covers, and why',
    },
    differences: {
      type: 'array',
      items: { type: 'object' },
      description: 'With `handover.settlement_differs`: each way the final settlement differs from the ledger',
    },
    openFen: { type: 'integer', description: 'With `payment.exceeds_open`: what is still open on the statement' },
    statementId: { type: 'string', format: 'uuid', description: 'With `statement.already_issued`: the statement that states the month' },
    // The dates a refusal about dates names (duties, breach notice and cure, termination, sign-off), for clients to act on.
    date: { type: 'string', format: 'date', description: 'With `*.outside_term` and `*_before_*`: the date refused' },
    earliest: { type: 'string', format: 'date', description: 'With `*_before_*`: the earliest date it may take' },
    termStartsOn: { type: 'string', format: 'date', description: 'With `*.outside_term` and `termination.after_term`: the term in force' },
    termEndsOn: {
      type: 'string',
      format: 'date',
      description: 'With `*.outside_term`, `termination.after_term` and `termination.before_expiry`: the term in force',
    },
    occurredOn: { type: 'string', format: 'date', description: 'With `breach.incident_after_notice`: when the incident occurred' },
    noticedOn: {
      type: 'string',
      format: 'date',
      description: 'With `breach.incident_after_notice` and `termination.cure_period_running`: the notice date',
    },
    cureDeadline: {
      type: 'string',
      format: 'date',
      description: 'With `termination.cure_period_running`: the first day a termination for the breach may take effect',
    },
    effectiveOn: { type: 'string', format: 'date', description: 'With `termination.*` about dates: the effective date refused' },
    itemId: { type: 'string', description: 'With `handover.sign_off_before_item`: the item done after the sign-off date' },
    completedOn: {
      type: 'string',
      format: 'date',
      description: 'With `handover.sign_off_before_item`: the date its evidence says it was done',
    },
    signedOffOn: { type: 'string', format: 'date', description: 'With `handover.sign_off_before_item`: the sign-off date refused' },
  },
};

/**
 * The OpenAPI document, exact enough to generate valid and invalid requests
 * from: every route as Nest sees it; request bodies and query parameters from
 * the class-validator DTOs themselves (one source of truth for validation and
 * documentation); each route's answers with their schemas, headers and the
 * problem codes possible there, and examples, as the features contribute
 * them; the security scheme.
 */
export function buildOpenApiDocument(app: NestFastifyApplication, contributions: readonly OpenApiContribution[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Contract handover service')
    .setDescription(
      'Event-sourced backend for e-commerce outsourcing contracts and their termination handover. ' +
        'Every write answers with the new `revision` (also the ETag) and a `position` to pass as `minPosition` to read your own write.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, `chk_...` (see README, "Keys and roles")' }, 'apiKey')
    .addSecurityRequirements('apiKey')
    .build();
  const prefixes = operationPrefixes(app);
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${prefixes.get(controller) ?? controller}_${method}`,
  });
  const requests = requestSchemas();
  const answers: Schemas = Object.fromEntries(
    uniquely('schema', [
      ...Object.entries(requests),
      ...contributions.flatMap((contribution) => Object.entries(contribution.schemas?.(requests) ?? {})),
    ]).filter(([name]) => !(name in requests)),
  );
  const operations = new Map(
    uniquely(
      'operation',
      contributions.flatMap((contribution) => Object.entries(contribution.operations)),
    ),
  );
  const undocumented = new Set(operations.keys());
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...requests, ...answers, ProblemDetails: PROBLEM_DETAILS },
    headers: RESPONSE_HEADERS,
  };
  const handlers = handlerArguments(app);

  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      // `HealthController_ready[1]`: one handler on two paths, documented as the handler unless its path has a doc of its own.
      const id = operation.operationId ?? '';
      const handler = id.replace(/\[\d+\]$/, '');
      const { query, uuidParams } = handlers.get(handler) ?? { uuidParams: [] };
      // A route no feature documents keeps Nest's bare answers, which the document's tests name.
      const documented: OperationDoc = operations.get(id) ?? operations.get(handler) ?? { answers: [], problems: {} };
      undocumented.delete(operations.has(id) ? id : handler);
      const described = (operation.parameters ?? []) as ParameterObject[];
      operation.parameters = [
        ...pathParameters(path, described).map((parameter) => describeParameter(parameter, uuidParams, requests)),
        ...described.filter((parameter) => parameter.in !== 'path').map((parameter) => describeParameter(parameter, uuidParams, requests)),
        ...(query ? queryParameters(requests[query.name]) : []),
        ...(documented.headers ?? []),
      ];
      const json =
        operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json'] : undefined;
      if (json && documented.example !== undefined) json.example = documented.example;
      operation.responses = { ...Object.fromEntries(documented.answers.map(answer)), ...problems(documented.problems) };
      if (documented.public) operation.security = [];
    }
  }
  if (undocumented.size > 0) throw new Error(`OpenAPI documents operations no route has: ${[...undocumented].join(', ')}`);
  return document;
}

/** Entries by name, refusing a name given twice: two features would describe one thing two ways. */
function uniquely<Value>(what: string, entries: ReadonlyArray<[string, Value]>): Array<[string, Value]> {
  const seen = new Set<string>();
  for (const [name] of entries) {
    if (seen.has(name)) throw new Error(`OpenAPI ${what} ${name} is described twice`);
    seen.add(name);
  }
  return [...entries];
}

/**
 * One parameter per `{name}` of the path, as Nest described it or else as
 * text: a handler on two paths (a step of the final and of a partial
 * handover) has Nest describe one set of parameters for both, and none typed
 * `string | undefined`, which its metadata records as Object.
 */
function pathParameters(path: string, described: readonly ParameterObject[]): ParameterObject[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(
    ([, name]) =>
      described.find((parameter) => parameter.in === 'path' && parameter.name === name) ?? {
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      },
  );
}

/** Path parameters parsed as UUIDs say so; the digest's `position` is optional and written like `minPosition`. */
function describeParameter(parameter: ParameterObject, uuidParams: readonly string[], requests: Schemas): ParameterObject {
  if (parameter.in === 'path' && uuidParams.includes(parameter.name)) return { ...parameter, schema: { type: 'string', format: 'uuid' } };
  if (parameter.in === 'query' && parameter.name === 'position') {
    return { ...parameter, required: false, schema: propertiesOf(requests.ConsistentReadQuery).minPosition };
  }
  return parameter;
}

function answer({ status, description, content, headers = [] }: Answer): [string, ResponseObject] {
  return [
    String(status),
    {
      description,
      headers: headerRefs([...headers, 'X-Request-Id']),
      content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
    },
  ];
}

/** One answer per status the route can give, its schema naming the codes possible there. */
function problems(codes: ProblemCodes): ResponsesObject {
  return Object.fromEntries(
    Object.entries(codes).map(([status, possible = []]) => [
      status,
      {
        description: `${STATUS_MEANING[Number(status)]}. Codes: ${possible.map((code) => `\`${code}\``).join(', ')}`,
        headers: headerRefs([...(HEADERS_OF_STATUS[Number(status)] ?? []), 'X-Request-Id']),
        content: {
          'application/problem+json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/ProblemDetails' },
                {
                  type: 'object',
                  properties: { status: { type: 'integer', enum: [Number(status)] }, code: { type: 'string', enum: [...possible] } },
                },
              ],
            },
          },
        },
      },
    ]),
  );
}

const headerRefs = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

/** Serves the document at /docs-json and Swagger UI at /docs, from the swagger-ui-dist package (no CDN). */
export function serveOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  const fastify = app.getHttpAdapter().getInstance();
  const assets = getAbsoluteFSPath();
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Contract handover service: API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/assets/init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', persistAuthorization: false });`;
  const csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";
  fastify.get('/docs-json', async () => document);
  fastify.get('/docs', async (_request, reply) => reply.header('content-security-policy', csp).type('text/html; charset=utf-8').send(page));
  fastify.get('/docs/assets/init.js', async (_request, reply) => reply.type('text/javascript').send(init));
  for (const [file, type] of [
    ['swagger-ui.css', 'text/css'],
    ['swagger-ui-bundle.js', 'text/javascript'],
  ] as const) {
    const content = readFileSync(join(assets, file));
    fastify.get(`/docs/assets/${file}`, async (_request, reply) => reply.type(type).send(content));
  }
}
