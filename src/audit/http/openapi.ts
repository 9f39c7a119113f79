import { CONTRACT } from '../../contracts/http/openapi';
import {
  arrayOf,
  boolean,
  date,
  instant,
  integer,
  json,
  nullable,
  object,
  sha256,
  text,
  uuid,
  type OpenApiContribution,
} from '../../http/openapi-parts';
import { AUTHENTICATED, BODY, merge, QUERY, ROLE_GATED } from '../../http/openapi-problems';
import { propertiesOf, type Schemas } from '../../http/openapi-schemas';

function auditSchemas(requests: Schemas): Schemas {
  // A global position of the log, written as reads take it back.
  const position = propertiesOf(requests.ConsistentReadQuery).minPosition;
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
  return {
    EventsPage: object({ contractId: uuid, events: arrayOf(eventEntry), nextFrom: nullable(integer) }),
    IntegrityVerdict: object(
      { contractId: uuid, ok: boolean, events: integer },
      { head: object({ revision: integer, hash: sha256 }), brokenAt: object({ revision: integer, eventId: text, reason: text }) },
    ),
    HistoryDigest: digest,
    DigestVerdict: object({ ok: boolean, kept: object({ position, digest: sha256 }), recomputed: digest }),
  };
}

/** The auditors' routes in the OpenAPI document. */
export const auditOpenApi: OpenApiContribution = {
  schemas: auditSchemas,
  operations: {
    AuditController_events: {
      answers: [
        {
          status: 200,
          description: 'A page of the history; NDJSON (one event a line) with `format=ndjson` or `Accept: application/x-ndjson`',
          content: { ...json('EventsPage'), 'application/x-ndjson': text },
          headers: ['Link'],
        },
      ],
      // The events hold the ledger's money: a coordinator who sees the contract in handover reads the integrity verdict only.
      problems: merge(AUTHENTICATED, QUERY, CONTRACT, { 403: ['access.history_forbidden'] }),
    },
    AuditController_integrity: {
      answers: [{ status: 200, description: 'ok, or the first event where the hash chain breaks', content: json('IntegrityVerdict') }],
      problems: merge(AUTHENTICATED, CONTRACT),
    },
    AuditController_digest: {
      answers: [{ status: 200, description: 'The digest to keep outside the system', content: json('HistoryDigest') }],
      problems: merge(AUTHENTICATED, ROLE_GATED, QUERY),
    },
    AuditController_verify: {
      answers: [{ status: 200, description: '`ok` only if nothing up to the position was rewritten', content: json('DigestVerdict') }],
      problems: merge(AUTHENTICATED, ROLE_GATED, BODY),
    },
  },
};
