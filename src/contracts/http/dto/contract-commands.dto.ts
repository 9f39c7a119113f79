import { IsIn } from 'class-validator';
import {
  ACCOUNT_KINDS,
  AUTHORIZATION_TYPES,
  TERMINATION_GROUNDS,
  type AccountKind,
  type AuthorizationType,
  type TerminationGrounds,
  type TerminationGroundsType,
} from '../../domain/events';
import { PARTIES, type Party } from '../../domain/terms';
import { declareBodyUnion, IsCalendarDate, IsIdentifier, IsText, type Shape } from '../../../http/validators';

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

/**
 * A party's act and why: asking an account off the contract (the operator
 * asks, the brand acknowledges or deregisters outright), proposing to waive a
 * handover item as not applicable, disputing one.
 */
export class PartyReasonDto {
  @IsIn(PARTIES) party!: Party;
  @IsText(1000) reason!: string;
}

/** The drafting party takes its draft back before both parties have signed. */
export class DraftWithdrawalDto {
  @IsIn(PARTIES) party!: Party;
  @IsText(1000) reason!: string;
  @IsCalendarDate() withdrawnOn!: string;
}

export class RevocationDto {
  @IsText() documentRef!: string;
  @IsCalendarDate() revokedOn!: string;
}

/**
 * A termination as clients write it: flat, `grounds` naming which of the
 * shapes below the body takes; each shape requires its own fields and
 * admits no other (validated as a union, see declareBodyUnion).
 */
export abstract class TerminationDto {
  @IsIn(PARTIES) initiatedBy!: Party;
  @IsIn(TERMINATION_GROUNDS) grounds!: TerminationGroundsType;
  @IsCalendarDate() effectiveOn!: string;

  /** The domain's grounds, from the fields of this shape. */
  abstract toGrounds(): TerminationGrounds;
}

class BreachTerminationDto extends TerminationDto {
  /** The other party's breach notice whose cure period has run out without a cure accepted. */
  @IsText(100) breachId!: string;
  toGrounds(): TerminationGrounds {
    return { type: 'breach', breachId: this.breachId };
  }
}

class MutualAgreementTerminationDto extends TerminationDto {
  /** The termination agreement, and who signed it for each party. */
  @IsText() documentRef!: string;
  @IsText() brandSignatory!: string;
  @IsText() operatorSignatory!: string;
  toGrounds(): TerminationGrounds {
    return {
      type: 'mutual_agreement',
      documentRef: this.documentRef,
      brandSignatory: this.brandSignatory,
      operatorSignatory: this.operatorSignatory,
    };
  }
}

class ExpiryTerminationDto extends TerminationDto {
  toGrounds(): TerminationGrounds {
    return { type: 'expiry' };
  }
}

class StipulatedConditionTerminationDto extends TerminationDto {
  /** The termination condition invoked: one the terms in force list. */
  @IsIdentifier() conditionId!: string;
  toGrounds(): TerminationGrounds {
    return { type: 'stipulated_condition', conditionId: this.conditionId };
  }
}

declareBodyUnion(TerminationDto, 'grounds', {
  breach: BreachTerminationDto,
  mutual_agreement: MutualAgreementTerminationDto,
  expiry: ExpiryTerminationDto,
  stipulated_condition: StipulatedConditionTerminationDto,
} satisfies Record<TerminationGroundsType, Shape>);

export class SignOffDto {
  @IsIn(PARTIES) party!: Party;
  @IsText() signatory!: string;
  @IsCalendarDate() signedOffOn!: string;
}

/** The other party agrees that a handover item does not apply, as the first one proposed. */
export class WaiverAgreementDto {
  @IsIn(PARTIES) party!: Party;
  /** The person who agreed for the party. */
  @IsText() signatory!: string;
}
