import { IsIn, ValidateIf } from 'class-validator';
import { ACCOUNT_KINDS, AUTHORIZATION_TYPES, type AccountKind, type AuthorizationType, type TerminationGroundsType } from '../../domain/events';
import { PARTIES, type Party } from '../../domain/terms';
import { IsCalendarDate, IsText } from './validators';

export class SignatureDto {
  @IsIn(PARTIES) party!: Party;
  /** The person who signed for the party. */
  @IsText() signatory!: string;
  @IsCalendarDate() signedOn!: string;
}

export class AccountDto {
  @IsText(50) platform!: string;
  @IsText() accountName!: string;
  @IsIn(ACCOUNT_KINDS) kind!: AccountKind;
}

export class AuthorizationDto {
  @IsIn(AUTHORIZATION_TYPES) type!: AuthorizationType;
  @IsText(50) platform!: string;
  @IsText() documentRef!: string;
}

export class RevocationDto {
  @IsText() documentRef!: string;
  @IsCalendarDate() revokedOn!: string;
}

export class BreachDto {
  @IsIn(PARTIES) breachingParty!: Party;
  @IsText() clause!: string;
  @IsText(2000) description!: string;
  @IsCalendarDate() occurredOn!: string;
  @IsText() evidenceRef!: string;
}

export class CureDto {
  @IsCalendarDate() curedOn!: string;
}

const GROUNDS: readonly TerminationGroundsType[] = ['breach', 'mutual_agreement', 'expiry', 'stipulated_condition'];

/** Flat, as clients write it; the fields a ground needs are required with it. */
export class TerminationDto {
  @IsIn(PARTIES) initiatedBy!: Party;
  @IsIn(GROUNDS) grounds!: TerminationGroundsType;
  @IsCalendarDate() effectiveOn!: string;
  /** With grounds `breach`: the other party's uncured breach. */
  @ValidateIf((body: TerminationDto) => body.grounds === 'breach') @IsText(100) breachId?: string;
  /** With grounds `mutual_agreement`: the termination agreement and who signed it for each party. */
  @ValidateIf((body: TerminationDto) => body.grounds === 'mutual_agreement') @IsText() documentRef?: string;
  @ValidateIf((body: TerminationDto) => body.grounds === 'mutual_agreement') @IsText() brandSignatory?: string;
  @ValidateIf((body: TerminationDto) => body.grounds === 'mutual_agreement') @IsText() operatorSignatory?: string;
  /** With grounds `stipulated_condition`: the contract clause invoked. */
  @ValidateIf((body: TerminationDto) => body.grounds === 'stipulated_condition') @IsText() clause?: string;
}

export class SignOffDto {
  @IsIn(PARTIES) party!: Party;
  @IsText() signatory!: string;
  @IsCalendarDate() signedOffOn!: string;
}
