import type { HeaderObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { ETAG_PATTERN } from './etag';
import type { ProblemCodes } from './openapi-problems';
import type { Schemas } from './openapi-schemas';

/**
 * What a feature adds to the OpenAPI document (see buildOpenApiDocument):
 * the schemas of its answers, and for each of its operations what it
 * answers. The answers are plain objects built in the handlers and read
 * models, not classes, so they are written out; parts that are request
 * shapes too point at the request schemas. test/app/openapi-responses.e2e.spec.ts
 * validates a real answer of every route against these.
 */
export interface OpenApiContribution {
  /** Answer schemas by name; `requests` are the request schemas, for the parts they share. */
  readonly schemas?: (requests: Schemas) => Schemas;
  /** Keyed `Controller_method`, like Nest's operation ids. */
  readonly operations: Readonly<Record<string, OperationDoc>>;
}

export interface OperationDoc {
  /** The answers but its problems. */
  readonly answers: readonly Answer[];
  /** The problem codes the operation can answer, by status. */
  readonly problems: ProblemCodes;
  /** An example request body. */
  readonly example?: unknown;
  /** Request headers the operation honours. */
  readonly headers?: readonly ParameterObject[];
  /** Callable without an API key. */
  readonly public?: true;
}

export type Schema = SchemaObject | ReferenceObject;

/** An answer other than a problem. */
export interface Answer {
  readonly status: number;
  readonly description: string;
  readonly content: Readonly<Record<string, Schema>>;
  readonly headers?: readonly string[];
}

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': ref(name) });
export const text: SchemaObject = { type: 'string' };
export const uuid: SchemaObject = { type: 'string', format: 'uuid' };
export const date: SchemaObject = { type: 'string', format: 'date' };
export const instant: SchemaObject = { type: 'string', format: 'date-time' };
export const integer: SchemaObject = { type: 'integer', minimum: 0 };
export const boolean: SchemaObject = { type: 'boolean' };
export const sha256: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$' };
export const oneOfValues = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });
export const arrayOf = (items: Schema): SchemaObject => ({ type: 'array', items });
export const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });

/** An object with these required and optional properties; more may come in later versions. */
export const object = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): SchemaObject => ({
  type: 'object',
  required: Object.keys(required),
  properties: { ...required, ...optional },
});

/** Response headers, referenced from the responses that carry them. */
export const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  ETag: {
    description: "The contract's stream revision; send it as If-Match to write only if nothing changed since",
    schema: { type: 'string', pattern: ETAG_PATTERN },
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
