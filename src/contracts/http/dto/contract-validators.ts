import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';

/** Money in integer fen (1 CNY = 100 fen): never a float. */
export function IsFen(): PropertyDecorator {
  return applyDecorators(IsInt({ message: '$property must be a whole number of fen' }), Min(0), Max(Number.MAX_SAFE_INTEGER));
}

/** Days of notice of non-renewal before the term ends (0 to 365). */
export function IsNoticePeriodDays(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(365));
}
