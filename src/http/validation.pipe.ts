import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { invalidRequest } from './problem-details';
import { bodyShapeOf } from './validators';

/**
 * Nest's class-validator pipe, strict (no unknown property, ever), answering
 * problem details; a body declared as a union (declareBodyUnion) is
 * validated as the shape its discriminator names.
 */
export class DtoValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: invalidRequest });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.type === 'body' ? bodyShapeOf(metadata.metatype, value) : metadata.metatype;
    return super.transform(value, { ...metadata, metatype }) as Promise<unknown>;
  }
}
