import type { ParameterObject, SchemaObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { MAX, MIN } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { CHANGE_SHAPES } from '../contracts/http/dto/amendment.dto';
import { EVIDENCE_SHAPES } from '../contracts/http/dto/evidence.dto';

export type Schemas = Record<string, SchemaObject>;

/** The property a termination field carries to say which grounds it goes with (see `ForGrounds`); not part of the document. */
const GROUNDS_MARK = 'x-grounds';
type Marked = SchemaObject & { [GROUNDS_MARK]?: string };

/**
 * JSON schemas of the validators written for this service (dto/validators.ts),
 * by their ValidateBy name; the patterns are the ones those validators test.
 */
const CONVERTERS: ISchemaConverters = {
  isCalendarDate: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  isInstant: {
    type: 'string',
    format: 'date-time',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  },
  forGrounds: (meta: ValidationMetadata) => ({ [GROUNDS_MARK]: (meta.constraints as string[])[0] }),
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

  const changes = unionOf(schemas, 'type', 'Change', CHANGE_SHAPES);
  const evidence = unionOf(schemas, 'kind', 'Evidence', EVIDENCE_SHAPES);
  propertiesOf(schemas.AmendmentDto).changes.items = changes;
  propertiesOf(schemas.CompletionDto).evidence = evidence;
  schemas.TerminationDto = terminationUnion(schemas);
  return schemas;
}

/** Adds one pinned member per discriminator value (`remove_scope` -> `RemoveScopeChange`) in place of the shape classes, and answers the union. */
function unionOf(
  schemas: Schemas,
  property: string,
  suffix: string,
  shapes: ReadonlyArray<{ name: string; value: { name: string } }>,
): SchemaObject {
  const members = shapes.map(({ name: value, value: shape }) => [value, `${pascal(value)}${suffix}`, schemas[shape.name]] as const);
  for (const [value, name, schema] of members) schemas[name] = pin(schema, property, value);
  for (const { value: shape } of shapes) {
    delete schemas[shape.name];
    delete schemas[(Object.getPrototypeOf(shape) as { name: string }).name];
  }
  return union(
    property,
    members.map(([value, name]) => [value, name]),
  );
}

/**
 * The flat termination body split by `grounds`: each member keeps the common
 * fields and requires the fields marked for its grounds, without the others.
 */
function terminationUnion(schemas: Schemas): SchemaObject {
  const flat = schemas.TerminationDto;
  const properties: Record<string, Marked> = propertiesOf(flat);
  const markOf = (field: string) => properties[field][GROUNDS_MARK];
  const members = (properties.grounds.enum as string[]).map((grounds) => {
    const fields = Object.keys(properties).filter((field) => markOf(field) === undefined || markOf(field) === grounds);
    const name = `${pascal(grounds)}Termination`;
    schemas[name] = pin(
      {
        ...flat,
        properties: Object.fromEntries(fields.map((field) => [field, withoutMark(properties[field])])),
        required: [...(flat.required ?? []), ...fields.filter((field) => markOf(field) === grounds)],
      },
      'grounds',
      grounds,
    );
    return [grounds, name] as const;
  });
  return union('grounds', members);
}

const withoutMark = ({ [GROUNDS_MARK]: _mark, ...schema }: Marked): SchemaObject => schema;

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
