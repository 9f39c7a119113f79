import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { acceptedBody } from './accepted-body';
import { invalidRequest } from './problem-details';
import { bodyShapeOf } from './validators';

/**
 * Nest's class-validator pipe, strict (no unknown property, ever), answering
 * problem details; a body declared as a union (declareBodyUnion) is
 * validated as the shape its discriminator names. A body surely valid is
 * built on a fast path (acceptedBody); any other goes the full way, which
 * alone answers refusals.
 */
export class DtoValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: invalidRequest });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.type === 'body' ? bodyShapeOf(metadata.metatype, value) : metadata.metatype;
    return (metadata.type === 'body' ? acceptedBody(metatype, value) : undefined) ?? this.validated(value, { ...metadata, metatype });
  }

  /** The full way: class-transformer and class-validator, throwing the answer to an invalid request. */
  async validated(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated: unknown = await super.transform(value, metadata);
    // class-transformer silently skips a property named like a method of the DTO or of Object
    // (`toString`, `constructor`): validation never sees it, so it is refused here like any unknown one.
    const skipped = skippedProperties(value, validated);
    if (skipped.length > 0) {
      throw invalidRequest(
        skipped.map((property) => ({ property, constraints: { whitelistValidation: `property ${property} should not exist` } })),
      );
    }
    return validated;
  }
}

/** Paths of the properties of `sent` that its transformed form does not hold. */
function skippedProperties(sent: unknown, transformed: unknown, path = ''): string[] {
  if (sent === null || typeof sent !== 'object' || transformed === null || typeof transformed !== 'object') return [];
  return Object.keys(sent).flatMap((key) => {
    const at = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(transformed, key)) return [at];
    return skippedProperties((sent as Record<string, unknown>)[key], (transformed as Record<string, unknown>)[key], at);
  });
}
