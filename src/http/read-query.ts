import { IsOptional, Matches } from 'class-validator';
import { POSITION_PATTERN } from '../event-store/event-store.port';

/** Read your own writes: the `position` of a write's answer; the read waits (bounded) until the read models reach it. */
export class ConsistentReadQuery {
  @IsOptional() @Matches(POSITION_PATTERN, { message: 'minPosition must be a position from a write answer, e.g. 42' }) minPosition?: string;
}
