import type { ParameterObject, SchemaObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { MAX, MIN } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { declaredUnions, type Union } from './validators';

export type Schemas = Record<string, SchemaObject>;

/**
 * JSON schemas of the validators written for this service (http/validators.ts),
 * by their ValidateBy name; the patterns are the ones those validators test.
 */
const CONVERTERS: ISchemaConverters = {
  isCalendarDate: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  isInstant: {
    type: 'string',
    format: 'date-time',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  },
  // The library's Min and Max also say `type: number`, which would override IsInt's `integer` when they come last.
  [MIN]: (meta: ValidationMetadata) => ({ minimum: (meta.constraints as number[])[0] }),
  [MAX]: (meta: ValidationMetadata) => ({ maximum: (meta.constraints as number[])[0] }),
};

/**
 * Request schemas from the class-validator DTOs themselves, so the document
 * and the validation cannot drift: no unknown property (the ValidationPipe
 * forbids them), and every discriminated union as one member per value, each
 * pinning its discriminator, so that a generator picks valid combinations.
 */
export function requestSchemas(): Schemas {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: CONVERTERS,
  }) as Schemas;
  for (const schema of Object.values(schemas)) schema.additionalProperties = false;

  for (const declared of declaredUnions()) {
    const union = unionOf(schemas, declared);
    const { owner, property } = declared;
    if (property === undefined) schemas[owner] = union;
    else if (declared.list) propertiesOf(schemas[owner])[property].items = union;
    else propertiesOf(schemas[owner])[property] = union;
  }
  return schemas;
}

/**
 * Adds one pinned member per discriminator value (`remove_scope` ->
 * `RemoveScopeChange`, the base class's name without `Dto`) in place of the
 * shape classes and their base, and answers the union.
 */
function unionOf(schemas: Schemas, { discriminator, shapes, base }: Union): SchemaObject {
  const suffix = base.name.replace(/Dto$/, '');
  // A shape that adds no field of its own (an expiry) has no schema of its own: it is its base.
  const members = Object.entries(shapes).map(
    ([value, shape]) => [value, `${pascal(value)}${suffix}`, schemas[shape.name] ?? schemas[base.name]] as const,
  );
  for (const [value, name, schema] of members) schemas[name] = pin(schema, discriminator, value);
  for (const shape of Object.values(shapes)) delete schemas[shape.name];
  delete schemas[base.name];
  return union(
    discriminator,
    members.map(([value, name]) => [value, name]),
  );
}

function pin(schema: SchemaObject, property: string, value: string): SchemaObject {
  return {
    ...schema,
    properties: { ...schema.properties, [property]: { type: 'string', enum: [value] } },
    required: [...new Set([...(schema.required ?? []), property])],
  };
}

function union(property: string, members: ReadonlyArray<readonly [value: string, name: string]>): SchemaObject {
  const ref = (name: string) => `#/components/schemas/${name}`;
  return {
    oneOf: members.map(([, name]) => ({ $ref: ref(name) })),
    discriminator: { propertyName: property, mapping: Object.fromEntries(members.map(([value, name]) => [value, ref(name)])) },
  };
}

/** Query parameters from a query DTO's schema: each optional unless its validation requires it. */
export function queryParameters(schema: SchemaObject): ParameterObject[] {
  return Object.entries(propertiesOf(schema)).map(([name, property]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: property,
  }));
}

export const propertiesOf = (schema: SchemaObject) => (schema.properties ?? {}) as Record<string, SchemaObject>;

const pascal = (snake: string) => snake.replace(/(^|_)(\w)/g, (_match, _separator, letter: string) => letter.toUpperCase());
