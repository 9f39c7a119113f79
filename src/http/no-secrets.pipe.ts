import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { problem } from './problem-details';
import { findSecret } from '../shared/secrets';

export const NO_SECRETS_SENTENCE =
  'Never send a secret: record that the credentials were rotated and who received the account, not the password itself.';

/**
 * Refuses any request body holding something that looks like a credential,
 * by field name or by value, before validation: nothing of it can reach an
 * event, a read model or a log.
 */
@Injectable()
export class NoSecretsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const field = findSecret(value);
    if (field) throw new BadRequestException(problem(400, 'request.secret_refused', NO_SECRETS_SENTENCE, { field }));
    return value;
  }
}
