import { BadRequestException } from '@nestjs/common';
import { problem } from '../../http/problem-details';

export function invalidHeader(name: string, expected: string): BadRequestException {
  return new BadRequestException(problem(400, 'request.invalid_header', `Header ${name} must be ${expected}.`, { header: name }));
}

/** The ETag of a contract at a stream revision. */
export function etag(revision: bigint): string {
  return `"${revision}"`;
}
