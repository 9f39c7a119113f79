import { BadRequestException, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { problem } from '../../http/problem-details';

/** The `:id` route parameter: a contract id is a UUID. */
export const ContractIdParam = () =>
  Param(
    'id',
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException(problem(400, 'request.invalid_id', 'A contract id is a UUID.')),
    }),
  );

/** The one answer for a contract that does not exist or that the caller may not see: its existence is not leaked. */
export const contractNotFound = () => new NotFoundException(problem(404, 'contract.not_found', 'There is no such contract.'));
