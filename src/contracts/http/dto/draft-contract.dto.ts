import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import {
  COMMISSION_BASES,
  DEFAULT_NOTICE_PERIOD_DAYS,
  PARTIES,
  SCOPES,
  type CommissionBase,
  type Party,
  type Scope,
} from '../../domain/terms';
import { IsCalendarDate, IsIdentifier, IsOptionalNotNull, IsText, Nested, NestedList } from '../../../http/validators';
import { IsFen, IsNoticePeriodDays } from './contract-validators';

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
  /** Days before the end of term that notice of non-renewal is due; 90 when omitted. */
  /** Defaults to the domain's default notice period when left out. */
  @IsOptionalNotNull() @IsNoticePeriodDays() noticePeriodDays: number = DEFAULT_NOTICE_PERIOD_DAYS;
  @IsOptionalNotNull() @Nested(() => ConsultingFeeDto) consultingFee?: ConsultingFeeDto;
}
