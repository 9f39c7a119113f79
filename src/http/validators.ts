import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform, Type, type ClassTransformOptions } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isCalendarDate, parseInstant } from '../shared/calendar';

/** A calendar date `YYYY-MM-DD` that exists (no 2027-02-30). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** An instant with its offset, e.g. 2029-12-31T10:00:00+08:00 (see parseInstant). */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => parseInstant(value) !== undefined,
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 8601 time with an offset, e.g. 2029-12-31T10:00:00+08:00`,
    },
  });
}

/** A short, non-empty line of text (a name, a reference, a clause number). */
export function IsText(maxLength = 200, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(IsString(options), IsNotEmpty(options), MaxLength(maxLength, options));
}

/** An identifier chosen by clients (party ids): letters, digits, dot, dash, underscore. */
export function IsIdentifier(): PropertyDecorator {
  return applyDecorators(
    IsText(100),
    Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: '$property may hold letters, digits, ".", "_" and "-" only' }),
  );
}

export type Shape = new () => object;

/** The shapes a discriminated part takes: by each value of its discriminator, the class that validates it. */
export type Shapes = Readonly<Record<string, Shape>>;

/** The shape a discriminator's value names, if it names one (never a property every object has, like `constructor`). */
function shapeNamed(shapes: Shapes, name: unknown): Shape | undefined {
  return typeof name === 'string' && Object.hasOwn(shapes, name) ? shapes[name] : undefined;
}

/** A required nested object validated as `type` (ValidateNested alone lets a missing one through). */
export function Nested(type: () => Shape): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(type));
}

/** A list of objects, each validated as `type`: null, a list or a number in it is refused with the field, never passed through. */
export function NestedList(type: () => Shape, size: ListSize): PropertyDecorator {
  return applyDecorators(...listOfObjects(size), Type(type));
}

/**
 * A discriminated union of DTO shapes: `discriminator` picks the shape, and
 * an unknown value is validated by `base`, whose own check on the
 * discriminator names it. Recorded so that the OpenAPI document describes
 * one member per value (see http/openapi-schemas.ts).
 */
export interface Union {
  /** The class whose property holds the union; for a whole body, the body's base class itself. */
  readonly owner: string;
  /** The property holding it (a list of them when `list`), or none for a whole body. */
  readonly property?: string;
  readonly list?: boolean;
  readonly discriminator: string;
  readonly shapes: Shapes;
  readonly base: AnyClass;
}
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- an abstract class has no construct signature
type AnyClass = Function;
const UNIONS: Union[] = [];
const BODY_UNIONS = new Map<AnyClass, Union>();

/** Every union the DTOs declare, for the OpenAPI document. */
export const declaredUnions = (): readonly Union[] => UNIONS;

/**
 * A required object of one of several shapes, picked by its `property`
 * (an evidence's `kind`). Anything but an object stays as it came, for
 * IsObject to refuse. class-transformer's own discriminator reads the
 * property of whatever it gets and answered 500 for null.
 */
export function OneOf(property: string, shapes: Shapes, base: Shape): PropertyDecorator {
  return (target, key) => {
    UNIONS.push({ owner: target.constructor.name, property: String(key), discriminator: property, shapes, base });
    applyDecorators(
      IsObject(),
      ValidateNested(),
      Type(() => base),
      Transform(({ obj, key, options }) => toShape((obj as Record<string, unknown>)[key], property, shapes, base, options)),
    )(target, key);
  };
}

/** A list of OneOf shapes (an amendment's `changes`), each item picked on its own. */
export function OneOfList(property: string, shapes: Shapes, base: Shape, size: ListSize): PropertyDecorator {
  return (target, key) => {
    UNIONS.push({ owner: target.constructor.name, property: String(key), list: true, discriminator: property, shapes, base });
    applyDecorators(
      ...listOfObjects(size),
      Type(() => base),
      Transform(({ obj, key, options }) => {
        const list = (obj as Record<string, unknown>)[key];
        return Array.isArray(list) ? list.map((item) => toShape(item, property, shapes, base, options)) : list;
      }),
    )(target, key);
  };
}

/**
 * A whole body of one of several shapes (a termination, by its `grounds`):
 * the validation pipe validates the body as the shape its discriminator
 * names, so each shape requires exactly its own fields.
 */
export function declareBodyUnion(base: AnyClass, discriminator: string, shapes: Shapes): void {
  const union: Union = { owner: base.name, discriminator, shapes, base };
  UNIONS.push(union);
  BODY_UNIONS.set(base, union);
}

/** The class to validate a body as: the shape its discriminator names, when its class is a body union. */
export function bodyShapeOf<T extends AnyClass | undefined>(metatype: T, body: unknown): T | Shape {
  const union = metatype && BODY_UNIONS.get(metatype);
  if (!union || body === null || typeof body !== 'object') return metatype;
  return shapeNamed(union.shapes, (body as Record<string, unknown>)[union.discriminator]) ?? metatype;
}

/**
 * An optional field: absent is fine, null is not (IsOptional lets null
 * through unchecked, and a null part is not "no part").
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

interface ListSize {
  readonly min?: number;
  readonly max: number;
}

function listOfObjects({ min, max }: ListSize): PropertyDecorator[] {
  return [
    IsArray(),
    ...(min === undefined ? [] : [ArrayMinSize(min)]),
    ArrayMaxSize(max),
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ValidateNested({ each: true }),
  ];
}

function toShape(value: unknown, property: string, shapes: Shapes, base: Shape, options: ClassTransformOptions): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const named = (value as Record<string, unknown>)[property];
  return plainToInstance(shapeNamed(shapes, named) ?? base, value, options);
}
