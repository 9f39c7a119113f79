import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import {
  COMMISSION_BASES,
  DEFAULT_CURE_PERIOD_DAYS,
  DEFAULT_HANDOVER_PERIOD_DAYS,
  DEFAULT_NOTICE_PERIOD_DAYS,
  PARTIES,
  SCOPES,
  type CommissionBase,
  type Party,
  type Scope,
} from '../../domain/terms';
import { IsCalendarDate, IsIdentifier, IsOptionalNotNull, IsText, Nested, NestedList } from '../../../http/validators';
import { IsFen, IsPeriodDays } from './contract-validators';

export class PartyRefDto {
  @IsIdentifier() partyId!: string;
  @IsText() name!: string;
}

export class ShopDto {
  @IsText(50) platform!: string;
  @IsText() name!: string;
}

export class FeesDto {
  @IsFen() serviceFeeMonthlyFen!: number;
  /** Basis points: 1200 = 12%. */
  @IsInt() @Min(0) @Max(10_000) commissionRateBp!: number;
  @IsIn(COMMISSION_BASES) commissionBase!: CommissionBase;
}

export class ShippingDto {
  @IsIn(PARTIES) costBorneBy!: Party;
  @IsBoolean() freeShipping!: boolean;
}

export class PromotionDto {
  @IsFen() monthlyBudgetFen!: number;
}

export class ClausesDto {
  @IsBoolean() onlineDistributionAuthorized!: boolean;
  @IsBoolean() rightsEnforcementAuthorized!: boolean;
}

export class TermDto {
  @IsCalendarDate() startsOn!: string;
  @IsCalendarDate() endsOn!: string;
}

export class ConsultingFeeDto {
  @IsFen() amountFen!: number;
  @IsCalendarDate() paidOn!: string;
}

/** A condition under which a party may terminate, as the contract stipulates it: a termination on it cites its `conditionId`. */
export class TerminationConditionDto {
  /** The contract's own number or name for it, e.g. its clause number "12.3". */
  @IsIdentifier() conditionId!: string;
  @IsText(1000) description!: string;
}

export class DraftContractDto {
  @Nested(() => PartyRefDto) brand!: PartyRefDto;
  @Nested(() => PartyRefDto) operator!: PartyRefDto;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(SCOPES.length) @ArrayUnique() @IsIn(SCOPES, { each: true }) scopes!: Scope[];
  @NestedList(() => ShopDto, { max: 50 }) shops!: ShopDto[];
  @Nested(() => FeesDto) fees!: FeesDto;
  @Nested(() => ShippingDto) shipping!: ShippingDto;
  @Nested(() => PromotionDto) promotion!: PromotionDto;
  @Nested(() => ClausesDto) clauses!: ClausesDto;
  @Nested(() => TermDto) term!: TermDto;
  /** Days before the end of term that notice of non-renewal is due; the domain's default (90) when left out. */
  @IsOptionalNotNull() @IsPeriodDays() noticePeriodDays: number = DEFAULT_NOTICE_PERIOD_DAYS;
  /** Days a breach notice gives the breaching party to cure; the domain's default (30) when left out. */
  @IsOptionalNotNull() @IsPeriodDays() curePeriodDays: number = DEFAULT_CURE_PERIOD_DAYS;
  /** Days after the contract ends (or an agreement takes scopes back) that the handover is due; the domain's default (30) when left out. */
  @IsOptionalNotNull() @IsPeriodDays() handoverPeriodDays: number = DEFAULT_HANDOVER_PERIOD_DAYS;
  /** The conditions under which a party may terminate (PRC Civil Code art. 562); none when left out. */
  @IsOptionalNotNull() @NestedList(() => TerminationConditionDto, { max: 20 }) terminationConditions: TerminationConditionDto[] = [];
  @IsOptionalNotNull() @Nested(() => ConsultingFeeDto) consultingFee?: ConsultingFeeDto;
}
