import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { DUTIES, type Duty } from '../../domain/duties';
import { PARTIES, type Party } from '../../domain/terms';
import { IsCalendarDate, IsOptionalNotNull, IsText } from '../../../http/validators';

/** The party owed a duty reports an incident of the other's: the service assigns its `incidentId`. */
export class IncidentReportDto {
  @IsIn(DUTIES) duty!: Duty;
  @IsIn(PARTIES) reportedBy!: Party;
  @IsCalendarDate() occurredOn!: string;
  @IsText(2000) description!: string;
  @IsText() evidenceRef!: string;
}

/** The party an incident or a breach notice is about agrees it happened. */
export class AcknowledgementDto {
  @IsCalendarDate() acknowledgedOn!: string;
}

/** The party an incident or a breach notice is about says it did not happen as stated, and why. */
export class ContestDto {
  @IsText(1000) reason!: string;
  @IsCalendarDate() contestedOn!: string;
}

/**
 * A breach notice served on the other party: it cites incidents of the
 * breaching party's duties, a clause, or both. The service assigns its
 * `breachId`; the cure deadline follows from the cure period in force on
 * `noticedOn`.
 */
export class BreachNoticeDto {
  @IsIn(PARTIES) breachingParty!: Party;
  @IsOptionalNotNull() @IsText() clause?: string;
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(50) @IsText(100, { each: true }) incidentIds: string[] = [];
  @IsText(2000) description!: string;
  @IsText() evidenceRef!: string;
  @IsCalendarDate() noticedOn!: string;
}

/** The breaching party says it cured the breach, with evidence: the notifying party accepts or rejects the cure. */
export class CureClaimDto {
  @IsCalendarDate() curedOn!: string;
  @IsText() evidenceRef!: string;
}

export class CureAcceptanceDto {
  @IsCalendarDate() acceptedOn!: string;
}

export class CureRejectionDto {
  @IsText(1000) reason!: string;
  @IsCalendarDate() rejectedOn!: string;
}
