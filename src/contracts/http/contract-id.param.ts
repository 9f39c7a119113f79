import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { problem } from '../../http/problem-details';

/** The `:id` route parameter: a contract id is a UUID. */
export const ContractIdParam = () =>
  Param(
    'id',
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException(problem(400, 'request.invalid_id', 'A contract id is a UUID.')),
    }),
  );
