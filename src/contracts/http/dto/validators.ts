import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';

/** A calendar date `YYYY-MM-DD` that exists (no 2027-02-30). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}$/.test(value) &&
          new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
        defaultMessage: (args) => `${args?.property ?? "value"} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** An instant with its offset, e.g. 2029-12-31T10:00:00+08:00. */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
        !Number.isNaN(Date.parse(value)),
      defaultMessage: (args) => `${args?.property ?? "value"} must be an ISO 8601 time with an offset, e.g. 2029-12-31T10:00:00+08:00`,
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

/** A required nested object validated as `type` (ValidateNested alone lets a missing one through). */
export function Nested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(type));
}
