import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';

/** Money in integer fen (1 CNY = 100 fen): never a float; within the bounds the domain sets where it sets any. */
export function IsFen({ min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): PropertyDecorator {
  return applyDecorators(IsInt({ message: '$property must be a whole number of fen' }), Min(min), Max(max));
}

/** A period of the terms in whole days (0 to 365): the notice, cure and handover periods. */
export function IsPeriodDays(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(365));
}
