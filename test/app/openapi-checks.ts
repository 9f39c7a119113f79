import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import type { HttpAnswer } from '../support/http-client';

/**
 * Reading the OpenAPI document the way a generator or a fuzzer does: JSON
 * schema validation of values against any schema in it (ajv, which fastify
 * already brings), and the simplest valid value of a schema.
 */

// Untyped JSON: the document as served.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** `['paths', '/contracts', 'post']` -> `#/paths/~1contracts/post`, as a URI fragment. */
function pointer(segments: readonly string[]): string {
  return `#/${segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
}

/** Validates values against the schema at a place in the document; `$ref`s resolve within it. */
export function schemaChecker(document: Json) {
  // Not strict: OpenAPI's own keywords (discriminator, example) are not JSON schema.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi');
  return (at: readonly string[], value: unknown): ErrorObject[] => {
    const validate = ajv.getSchema(`openapi${pointer(at)}`);
    if (!validate) throw new Error(`No schema at ${pointer(at)}`);
    return validate(value) ? [] : (validate.errors ?? []);
  };
}

/** The schema itself, `$ref`s followed within the document. */
export function resolve(document: Json, schema: Json): Json {
  return schema.$ref
    ? resolve(
        document,
        (schema.$ref as string)
          .slice(2)
          .split('/')
          .reduce((node: Json, key: string) => node[key], document),
      )
    : schema;
}

/** Strings that some pattern of the document accepts, for the schemas that have only a pattern (a calendar month for the ledger's, days for the deadlines'). */
const CANDIDATES = ['x', '42', '0'.repeat(64), '2028-04', '30d'];

/** The simplest value the schema accepts: required properties only, first enum value, first member of a union. */
export function sample(document: Json, given: Json): unknown {
  const schema = resolve(document, given);
  if (schema.oneOf) return sample(document, schema.oneOf[0]);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name: string) => [name, sample(document, schema.properties[name])]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => sample(document, schema.items));
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date') return '2028-04-01';
      if (schema.format === 'date-time') return '2028-04-01T10:00:00+08:00';
      if (schema.format === 'uuid') return randomUUID();
      if (schema.pattern) return CANDIDATES.find((candidate) => new RegExp(schema.pattern as string, 'u').test(candidate));
      return 'x'.repeat(schema.minLength ?? 1);
    default:
      throw new Error(`No sample for ${JSON.stringify(schema)}`);
  }
}

/** Every operation of the document as [method, path, operation]. */
export function operations(document: Json): Array<[string, string, Json]> {
  return Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, Json] => [method, path, operation]),
  );
}

/** The answer's media type without parameters. */
export const mediaType = (answer: HttpAnswer) => (answer.headers.get('content-type') ?? '').split(';')[0];
