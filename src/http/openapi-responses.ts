import type { HeaderObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { ROLES } from '../shared/identity';
import { ACCOUNT_KINDS, AUTHORIZATION_TYPES } from '../contracts/domain/events';
import { HANDOVER_ITEM_KINDS } from '../contracts/domain/handover';
import { PARTIES, SCOPES } from '../contracts/domain/terms';
import { TERMINATION_GROUNDS } from '../contracts/domain/events';
import { TOKEN_FORMAT } from './headers';
import { propertiesOf, type Schemas } from './openapi-schemas';

type Schema = SchemaObject | ReferenceObject;

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const text: SchemaObject = { type: 'string' };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const date: SchemaObject = { type: 'string', format: 'date' };
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const integer: SchemaObject = { type: 'integer', minimum: 0 };
const boolean: SchemaObject = { type: 'boolean' };
const sha256: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const oneOfValues = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });
const arrayOf = (items: Schema): SchemaObject => ({ type: 'array', items });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
/** An object with these required and optional properties; more may come in later versions. */
const object = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): SchemaObject => ({
  type: 'object',
  required: Object.keys(required),
  properties: { ...required, ...optional },
});

/**
 * What the routes answer, written out here because the answers are plain
 * objects built in the handlers and read models, not classes. Parts that are
 * request shapes too (terms, amendment changes, evidence) point at the request
 * schemas. test/app/openapi-responses.e2e.spec.ts validates a real answer of
 * every route against these.
 */
export function responseSchemas(requests: Schemas): Schemas {
  // A global position of the log, written as reads take it back.
  const position = propertiesOf(requests.ConsistentReadQuery).minPosition;
  const keyDates = object({ termEndsOn: date, terminationNoticeDueBy: date }, { terminatedOn: date });
  const scopes = arrayOf(oneOfValues(SCOPES));
  const terms = object({
    scopes,
    shops: arrayOf(ref('ShopDto')),
    fees: ref('FeesDto'),
    shipping: ref('ShippingDto'),
    promotion: ref('PromotionDto'),
    clauses: ref('ClausesDto'),
    term: ref('TermDto'),
    noticePeriodDays: integer,
  });
  const party = oneOfValues(PARTIES);
  const status = propertiesOf(requests.ContractListQueryDto).status;
  const signature = object({ signatory: text, signedOn: date });
  const termination = object({
    initiatedBy: party,
    effectiveOn: date,
    grounds: object(
      { type: oneOfValues(TERMINATION_GROUNDS) },
      { breachId: text, documentRef: text, brandSignatory: text, operatorSignatory: text, clause: text },
    ),
  });
  const changes = propertiesOf(requests.AmendmentDto).changes;
  const evidence = propertiesOf(requests.CompletionDto).evidence;
  const eventEntry = object({
    revision: integer,
    eventId: uuid,
    type: text,
    position,
    recordedAt: instant,
    data: { type: 'object' },
    metadata: object(
      { actor: text, recordedAt: instant, correlationId: text, causationId: text, commandType: text, schemaVersion: integer, hash: sha256 },
      { effectiveOn: date, idempotencyKey: text, requestHash: sha256 },
    ),
  });
  const digest = object({
    position: nullable(position),
    streams: integer,
    events: integer,
    digest: sha256,
    broken: arrayOf(object({ stream: text, revision: integer, eventId: text, reason: text })),
  });
  const keyId: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{16}$' };
  const keyFields = { keyId, role: oneOfValues(ROLES), label: text, issuedAt: instant, issuedBy: text };
  const healthPart = { type: 'object', additionalProperties: object({ status: oneOfValues(['up', 'down']) }) };

  return {
    WriteResponse: object(
      { contractId: uuid, revision: integer, position, recorded: { ...arrayOf(text), example: ['ContractSigned', 'ContractActivated'] } },
      { accountId: uuid, authorizationId: uuid, breachId: uuid, amendmentId: uuid },
    ),
    ContractListPage: object({
      items: arrayOf(
        object(
          { contractId: uuid, revision: integer, status, brand: ref('PartyRefDto'), operator: ref('PartyRefDto'), scopes, keyDates },
          { quarantined: { type: 'boolean', enum: [true] } },
        ),
      ),
      nextCursor: nullable(uuid),
    }),
    ContractSummary: object(
      {
        contractId: uuid,
        status,
        brand: ref('PartyRefDto'),
        operator: ref('PartyRefDto'),
        terms,
        keyDates,
        originalTerms: terms,
        amendments: arrayOf(object({ amendmentId: uuid, documentRef: text, effectiveOn: date, changes })),
        signatures: object({}, { brand: signature, operator: signature }),
        accounts: arrayOf(
          object({
            accountId: uuid,
            platform: text,
            accountName: text,
            accountKind: oneOfValues(ACCOUNT_KINDS),
            registered: boolean,
            status: oneOfValues(['registered', 'deregistered']),
          }),
        ),
        authorizations: arrayOf(
          object(
            {
              authorizationId: uuid,
              authorizationType: oneOfValues(AUTHORIZATION_TYPES),
              platform: text,
              documentRef: text,
              status: oneOfValues(['granted', 'revoked']),
            },
            { revoked: object({ documentRef: text, revokedOn: date }) },
          ),
        ),
        breaches: arrayOf(
          object(
            {
              breachId: uuid,
              breachingParty: party,
              clause: text,
              description: text,
              occurredOn: date,
              evidenceRef: text,
              status: oneOfValues(['open', 'cured']),
            },
            { curedOn: date },
          ),
        ),
      },
      { termsOn: date, consultingFee: ref('ConsultingFeeDto'), activatedOn: date, termination, closedOn: date },
    ),
    HandoverChecklist: object({
      contractId: uuid,
      status,
      termination,
      items: arrayOf(
        object(
          {
            itemId: text,
            kind: oneOfValues(HANDOVER_ITEM_KINDS),
            subject: text,
            responsibleParty: oneOfValues([...PARTIES, 'both']),
            status: oneOfValues(['open', 'completed']),
          },
          { accountId: uuid, authorizationId: uuid, scope: oneOfValues(SCOPES), evidence, completedBy: text, completedAt: instant },
        ),
      ),
      progress: object({ completed: integer, total: integer }),
      signOffs: object(
        {},
        { brand: object({ signatory: text, signedOffOn: date }), operator: object({ signatory: text, signedOffOn: date }) },
      ),
      canSignOff: boolean,
    }),
    EventsPage: object({ contractId: uuid, events: arrayOf(eventEntry), nextFrom: nullable(integer) }),
    IntegrityVerdict: object(
      { contractId: uuid, ok: boolean, events: integer },
      { head: object({ revision: integer, hash: sha256 }), brokenAt: object({ revision: integer, eventId: text, reason: text }) },
    ),
    HistoryDigest: digest,
    DigestVerdict: object({ ok: boolean, kept: object({ position, digest: sha256 }), recomputed: digest }),
    IssuedKey: object({ key: { type: 'string', pattern: '^chk_' }, ...keyFields }, { partyId: text }),
    KeyList: object({ keys: arrayOf(object(keyFields, { partyId: text, revokedAt: instant, revokedBy: text })) }),
    RevokedKey: object({ keyId, revoked: boolean }),
    HealthReport: object({ status: oneOfValues(['ok', 'error']), info: healthPart, error: healthPart, details: healthPart }),
  };
}

/** Response headers, referenced from the responses that carry them. */
export const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  ETag: {
    description: "The contract's stream revision; send it as If-Match to write only if nothing changed since",
    schema: { type: 'string', pattern: '^"\\d+"$' },
  },
  'Idempotent-Replayed': {
    description: 'The first answer to this Idempotency-Key, replayed: nothing was written',
    schema: { type: 'string', enum: ['true'] },
  },
  'X-Request-Id': {
    description: "The request's id (the client's if sane, else generated): the correlation id of the events it recorded",
    schema: text,
  },
  'Retry-After': { description: 'Seconds until the rate limit window ends', schema: { type: 'integer' } },
  'WWW-Authenticate': { schema: { type: 'string', enum: ['Bearer'] } },
  Link: { description: 'The next NDJSON page, `rel="next"`', schema: text },
};

/** Request headers every contract write honours. */
export const WRITE_HEADERS: ParameterObject[] = [
  {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'Write only if the contract is still at this ETag; else 412',
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,18}"?$' },
  },
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: `A retry with the same key and body answers the first answer and writes nothing; with another body 422. ${TOKEN_FORMAT}`,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  },
];

/** An answer other than a problem. */
export interface Answer {
  readonly status: number;
  readonly description: string;
  readonly content: Readonly<Record<string, Schema>>;
  readonly headers?: readonly string[];
}

const json = (name: string) => ({ 'application/json': ref(name) });
const WRITE: Answer = {
  status: 201,
  description: 'Recorded (or nothing to do)',
  content: json('WriteResponse'),
  headers: ['ETag', 'Idempotent-Replayed'],
};
/** A write that creates something answers its id. */
const creating = (id: string): Answer => ({
  ...WRITE,
  content: { 'application/json': { allOf: [ref('WriteResponse'), { required: [id] }] } },
});
const HEALTHY: Answer = { status: 200, description: 'Terminus report: `status: ok`', content: json('HealthReport') };
const UNHEALTHY: Answer = {
  status: 503,
  description: 'Terminus report: `status: error`, with what is down',
  content: json('HealthReport'),
};

/** The answers of each operation but its problems, keyed `Controller_method` like Nest's operation ids. */
export const ANSWERS: Readonly<Record<string, readonly Answer[]>> = {
  ContractsController_draft: [WRITE],
  ContractsController_sign: [WRITE],
  ContractsController_amend: [creating('amendmentId')],
  ContractsController_registerAccount: [creating('accountId')],
  ContractsController_deregisterAccount: [{ ...WRITE, status: 200 }],
  ContractsController_grantAuthorization: [creating('authorizationId')],
  ContractsController_revokeAuthorization: [WRITE],
  ContractsController_recordBreach: [creating('breachId')],
  ContractsController_cureBreach: [WRITE],
  ContractsController_terminate: [WRITE],
  ContractsController_completeItem: [WRITE],
  ContractsController_signOff: [WRITE],
  ContractsController_list: [
    { status: 200, description: 'A page of contracts; pass `nextCursor` as `after` for the next', content: json('ContractListPage') },
  ],
  ContractsController_get: [{ status: 200, description: 'The contract summary', content: json('ContractSummary'), headers: ['ETag'] }],
  ContractsController_getHandover: [
    { status: 200, description: 'The handover checklist', content: json('HandoverChecklist'), headers: ['ETag'] },
  ],
  ContractsController_streamHandover: [
    {
      status: 200,
      description:
        'Server-Sent Events: `event: checklist`, `id:` the revision, `data:` the HandoverChecklist as JSON (null before termination)',
      content: { 'text/event-stream': text },
    },
  ],
  AuditController_events: [
    {
      status: 200,
      description: 'A page of the history; NDJSON (one event a line) with `format=ndjson` or `Accept: application/x-ndjson`',
      content: { ...json('EventsPage'), 'application/x-ndjson': text },
      headers: ['Link'],
    },
  ],
  AuditController_integrity: [
    { status: 200, description: 'ok, or the first event where the hash chain breaks', content: json('IntegrityVerdict') },
  ],
  AuditController_digest: [{ status: 200, description: 'The digest to keep outside the system', content: json('HistoryDigest') }],
  AuditController_verify: [
    { status: 200, description: '`ok` only if nothing up to the position was rewritten', content: json('DigestVerdict') },
  ],
  KeysController_issue: [{ status: 201, description: 'The new key: `key` is shown this once', content: json('IssuedKey') }],
  KeysController_list: [{ status: 200, description: 'Every key, without secrets', content: json('KeyList') }],
  KeysController_revoke: [{ status: 200, description: 'Revoked at once', content: json('RevokedKey') }],
  HealthController_live: [HEALTHY],
  HealthController_ready: [HEALTHY, UNHEALTHY],
};
