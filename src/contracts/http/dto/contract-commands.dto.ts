import { applyDecorators } from '@nestjs/common';
import { IsIn, ValidateBy, ValidateIf } from 'class-validator';
import {
  ACCOUNT_KINDS,
  AUTHORIZATION_TYPES,
  TERMINATION_GROUNDS,
  type AccountKind,
  type AuthorizationType,
  type TerminationGroundsType,
} from '../../domain/events';
import { PARTIES, type Party } from '../../domain/terms';
import { IsCalendarDate, IsText } from '../../../http/validators';

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

/**
 * A field that goes with one kind of grounds: validated (so required) when
 * the body names those grounds, refused when it names others. The OpenAPI
 * document reads the grounds from this validator to describe one body shape
 * per grounds, so a body is valid exactly when it matches one of them.
 */
function ForGrounds(grounds: TerminationGroundsType): PropertyDecorator {
  return applyDecorators(
    ValidateIf((body: TerminationDto, value: unknown) => body.grounds === grounds || value !== undefined),
    ValidateBy({
      name: 'forGrounds',
      constraints: [grounds],
      validator: {
        validate: (_value: unknown, args) => (args?.object as TerminationDto).grounds === grounds,
        defaultMessage: (args) => `${args?.property ?? 'value'} goes only with grounds ${grounds}`,
      },
    }),
  );
}

/** Flat, as clients write it: `grounds` says which of the fields below come with it. */
export class TerminationDto {
  @IsIn(PARTIES) initiatedBy!: Party;
  @IsIn(TERMINATION_GROUNDS) grounds!: TerminationGroundsType;
  @IsCalendarDate() effectiveOn!: string;
  /** With grounds `breach`: the other party's uncured breach. */
  @ForGrounds('breach') @IsText(100) breachId?: string;
  /** With grounds `mutual_agreement`: the termination agreement and who signed it for each party. */
  @ForGrounds('mutual_agreement') @IsText() documentRef?: string;
  @ForGrounds('mutual_agreement') @IsText() brandSignatory?: string;
  @ForGrounds('mutual_agreement') @IsText() operatorSignatory?: string;
  /** With grounds `stipulated_condition`: the contract clause invoked. */
  @ForGrounds('stipulated_condition') @IsText() clause?: string;
}

export class SignOffDto {
  @IsIn(PARTIES) party!: Party;
  @IsText() signatory!: string;
  @IsCalendarDate() signedOffOn!: string;
}
