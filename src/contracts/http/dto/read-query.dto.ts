import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { CONTRACT_STATUSES, type ContractStatus } from '../../domain/state';
import { SCOPES, type Scope } from '../../domain/terms';
import { ConsistentReadQuery } from '../../../http/read-query';
import { IsCalendarDate, IsIdentifier, IsInstant, IsText } from '../../../http/validators';

export class ContractReadQuery extends ConsistentReadQuery {
  /** The terms in force on this date. */
  @IsOptional() @IsCalendarDate() termsOn?: string;
  /** Time travel: the contract as it stood at this time, folded from its stream. */
  @IsOptional() @IsInstant() asOf?: string;
  /** Time travel: the contract as it stood at this stream revision. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) revision?: number;
}

export class HandoverReadQuery extends ConsistentReadQuery {
  @IsOptional() @IsInstant() asOf?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) revision?: number;
}

export class ContractListQueryDto extends ConsistentReadQuery {
  @IsOptional() @IsIn(CONTRACT_STATUSES) status?: ContractStatus;
  /** A party id, brand or operator. */
  @IsOptional() @IsIdentifier() party?: string;
  @IsOptional() @IsIn(SCOPES) scope?: Scope;
  @IsOptional() @IsText(50) platform?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  /** `nextCursor` of the previous page. */
  @IsOptional() @IsUUID() after?: string;
}

export const LEDGER_FORMATS = ['json', 'csv'] as const;

/** A ledger or a statement: JSON, or CSV for a spreadsheet (also with `Accept: text/csv`). */
export class LedgerReadQuery extends ConsistentReadQuery {
  @IsOptional() @IsIn(LEDGER_FORMATS) format?: (typeof LEDGER_FORMATS)[number];
}

export class ReceivablesQuery extends ConsistentReadQuery {
  /** The operator whose receivables an auditor or admin reads; an operator reads its own. */
  @IsOptional() @IsIdentifier() operatorId?: string;
}

export class PayablesQuery extends ConsistentReadQuery {
  /** The brand whose payables an auditor or admin reads; a brand reads its own. */
  @IsOptional() @IsIdentifier() brandId?: string;
}

/** A number of days written `30d`, from 1d to 366d (a year, a leap year's too). */
const WITHIN_PATTERN = /^([1-9]\d?|[12]\d\d|3[0-5]\d|36[0-6])d$/;

export class DeadlinesQuery extends ConsistentReadQuery {
  /** The deadlines due from today through this many days after it. */
  @IsOptional() @Matches(WITHIN_PATTERN, { message: 'within must be a number of days from 1d to 366d, e.g. 30d' }) within?: string;
}
