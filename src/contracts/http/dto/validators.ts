import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform, Type, type ClassTransformOptions } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** The widest offset in use (Kiribati, +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a date `YYYY-MM-DD` that is on the calendar (years 0000 to 9999, no 2027-02-30, no month 13). Never throws. */
export function isCalendarDate(value: unknown): value is string {
  const parts = typeof value === 'string' ? DATE.exec(value) : null;
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/**
 * The instant an ISO 8601 time with its offset names (`2029-12-31T10:00:00+08:00`,
 * seconds and fraction optional), or undefined when it is not one: a date on
 * the calendar, hours 00-23, minutes and seconds 00-59, an offset within
 * ±14:00. Computed field by field, never by the lenient Date parser. Never throws.
 */
export function parseInstant(value: unknown): Date | undefined {
  const parts = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!parts || !isCalendarDate(parts[1])) return undefined;
  const [date, hours, minutes, seconds = '0', fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = parts.slice(1);
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59 || Number(offsetMinutes) > 59 || Math.abs(offset) > MAX_OFFSET_MINUTES) return undefined;
  const [year, month, day] = date.split('-').map(Number);
  const instant = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(Number(hours), Number(minutes) - offset, Number(seconds), Number(fraction.slice(1, 4).padEnd(3, '0')));
  return instant;
}

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

/** Money in integer fen (1 CNY = 100 fen): never a float. */
export function IsFen(): PropertyDecorator {
  return applyDecorators(IsInt({ message: '$property must be a whole number of fen' }), Min(0), Max(Number.MAX_SAFE_INTEGER));
}

type Shape = new () => object;

/** The shapes a discriminated part takes: the value of its discriminator, and the class that validates it. */
export type Shapes = ReadonlyArray<{ readonly name: string; readonly value: Shape }>;

/** A required nested object validated as `type` (ValidateNested alone lets a missing one through). */
export function Nested(type: () => Shape): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(type));
}

/** A list of objects, each validated as `type`: null, a list or a number in it is refused with the field, never passed through. */
export function NestedList(type: () => Shape, size: ListSize): PropertyDecorator {
  return applyDecorators(...listOfObjects(size), Type(type));
}

/**
 * A required object of one of several shapes, picked by its `property`
 * (an evidence's `kind`). An unknown value is validated by `base`, whose
 * own check on `property` names it; anything but an object stays as it came,
 * for IsObject to refuse. class-transformer's own discriminator reads the
 * property of whatever it gets and answered 500 for null.
 */
export function OneOf(property: string, shapes: Shapes, base: Shape): PropertyDecorator {
  return applyDecorators(
    IsObject(),
    ValidateNested(),
    Type(() => base),
    Transform(({ obj, key, options }) => toShape((obj as Record<string, unknown>)[key], property, shapes, base, options)),
  );
}

/** A list of OneOf shapes (an amendment's `changes`), each item picked on its own. */
export function OneOfList(property: string, shapes: Shapes, base: Shape, size: ListSize): PropertyDecorator {
  return applyDecorators(
    ...listOfObjects(size),
    Type(() => base),
    Transform(({ obj, key, options }) => {
      const list = (obj as Record<string, unknown>)[key];
      return Array.isArray(list) ? list.map((item) => toShape(item, property, shapes, base, options)) : list;
    }),
  );
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
  return plainToInstance(shapes.find((shape) => shape.name === named)?.value ?? base, value, options);
}
