import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { ValidationArguments } from 'class-validator';

/**
 * The validation pipe's fast path (see DtoValidationPipe): a body that a DTO
 * class surely accepts is turned into its instance here, straight from the
 * class-validator and class-transformer decorators, without their general
 * machinery, which cost a draft ~80 us. It answers only "accepted, here is
 * the instance plainToInstance would have built" or "not sure": every body
 * it is not sure of (anything invalid, and anything unusual: a null, a
 * nested array, an unknown key, a DTO with a transformation or an async
 * rule) goes the full way, which alone writes error answers. So it can only
 * be faster, never different: test/http/accepted-body.spec.ts compares both
 * ways on generated and mutated bodies of every route.
 */

type Dto = new () => object;

/** How to check one property of a DTO, from its decorators. */
interface PropertyRules {
  readonly name: string;
  /** ValidateIf: the property is checked only when each says so. */
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly checks: readonly Check[];
  /** ValidateNested: the value is an instance of a DTO (or a list of them), each checked as its own class. */
  readonly nested: boolean;
  /** @Type: what plainToInstance builds from an object (or each object of a list) found here. */
  readonly type?: (options: { newObject: object; object: object; property: string }) => unknown;
}

interface Check {
  readonly metadata: ValidationMetadata;
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
}

interface Rules {
  readonly properties: ReadonlyMap<string, PropertyRules>;
}

/** By class: its rules, or null when the fast path does not handle it. */
const RULES = new Map<unknown, Rules | null>();

/** The instance of `dto` the full validation pipe would return for `body`, or undefined when not sure. */
export function acceptedBody(dto: unknown, body: unknown): object | undefined {
  return typeof dto === 'function' ? accepted(dto as Dto, body) : undefined;
}

function accepted(dto: Dto, plain: unknown): object | undefined {
  if (!isPlainObject(plain)) return undefined;
  const rules = rulesOf(dto);
  if (!rules) return undefined;
  // As plainToInstance builds it: a new instance (with its field initializers), then each key sent.
  const instance = new dto() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const property = rules.properties.get(key);
    // Whitelisting refuses a key no rule names (and class-transformer skips `constructor` and methods).
    if (!property) return undefined;
    const value = built(property, instance, plain, key);
    if (value === NOT_SURE) return undefined;
    instance[key] = value;
  }
  // As class-validator checks the instance: no property without a rule (a field initializer included) ...
  for (const key of Object.keys(instance)) if (!rules.properties.has(key)) return undefined;
  // ... and every rule of every property.
  for (const property of rules.properties.values()) {
    if (!valid(property, instance, dto)) return undefined;
  }
  return instance;
}

const NOT_SURE = Symbol('not sure');

/**
 * The value plainToInstance sets for one key: without @Type, a primitive as
 * sent or a list of them copied; with @Type, an object (or each of a list)
 * as an instance of it. A primitive under @Type (which could be `Number`,
 * converting it) and anything else is left to the full way.
 */
function built(property: PropertyRules, instance: object, plain: Record<string, unknown>, key: string): unknown {
  const value = plain[key];
  if (!Array.isArray(value)) return one(property, instance, plain, value);
  const items: unknown[] = [];
  for (const item of value) {
    const copy = one(property, instance, plain, item);
    if (copy === NOT_SURE) return NOT_SURE;
    items.push(copy);
  }
  return items;
}

function one(property: PropertyRules, instance: object, plain: object, value: unknown): unknown {
  if (!property.type) return isPrimitive(value) ? value : NOT_SURE;
  const type = property.type({ newObject: instance, object: plain, property: property.name });
  return (isPlainObject(value) && typeof type === 'function' && accepted(type as Dto, value)) || NOT_SURE;
}

function valid(property: PropertyRules, instance: object, dto: Dto): boolean {
  const value = (instance as Record<string, unknown>)[property.name];
  if (!property.conditions.every((condition) => condition(instance, value))) return true;
  for (const { metadata, validate } of property.checks) {
    if (metadata.validateIf && !metadata.validateIf(instance, value)) continue;
    const args: ValidationArguments = {
      targetName: dto.name,
      property: metadata.propertyName,
      object: instance,
      value,
      constraints: metadata.constraints,
    };
    const values = metadata.each && Array.isArray(value) ? value : [value];
    // A promise (an async rule) is not a yes.
    if (!values.every((item) => validate(item, args) === true)) return false;
  }
  // Nested instances were checked as they were built (accepted): here only that they are there.
  if (!property.nested || value === undefined) return true;
  return Array.isArray(value) ? value.every(isDtoInstance) : isDtoInstance(value);
}

const isDtoInstance = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && RULES.has(value.constructor);

/** The rules of a class, read once from its decorators; null for what the fast path leaves to the full one. */
function rulesOf(dto: Dto): Rules | null {
  const known = RULES.get(dto);
  if (known !== undefined) return known;
  // Marked first: a class nested in itself is not followed around.
  RULES.set(dto, null);
  const rules = readRules(dto);
  RULES.set(dto, rules);
  return rules;
}

function readRules(dto: Dto): Rules | null {
  const storage = getMetadataStorage();
  // The same call class-validator makes for an instance of the class (no groups, `always` off).
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  if (metadatas.length === 0) return null;
  if (defaultMetadataStorage.getExposedMetadatas(dto).length > 0 || defaultMetadataStorage.getExcludedMetadatas(dto).length > 0)
    return null;
  const properties = new Map<string, PropertyRules>();
  for (const [name, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    // A property named like a method or accessor is skipped by class-transformer.
    if (name in dto.prototype || name in Object.prototype) return null;
    if (defaultMetadataStorage.findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
    const typeMetadata = defaultMetadataStorage.findTypeMetadata(dto, name);
    if (typeMetadata && (typeMetadata.options?.discriminator || !typeMetadata.typeFunction)) return null;
    const checks: Check[] = [];
    for (const metadata of own) {
      if (metadata.groups?.length || metadata.always !== undefined) return null;
      if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) {
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return null;
          checks.push({ metadata, validate: (value, args) => constraint.instance.validate(value, args) });
        }
      } else if (metadata.type !== ValidationTypes.NESTED_VALIDATION && metadata.type !== ValidationTypes.CONDITIONAL_VALIDATION) {
        return null;
      }
    }
    properties.set(name, {
      name,
      conditions: own
        .filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean),
      checks,
      nested: own.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION),
      ...(typeMetadata ? { type: typeMetadata.typeFunction } : {}),
    });
  }
  return { properties };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

const isPrimitive = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
