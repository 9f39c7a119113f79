import { IsIn, IsInt, Max, Min } from 'class-validator';
import {
  AMENDMENT_CHANGE_TYPES,
  COMMISSION_BASES,
  PARTIES,
  SCOPES,
  type AmendmentChangeType,
  type CommissionBase,
  type Party,
  type Scope,
} from '../../domain/terms';
import { ClausesDto, ShippingDto, ShopDto, TerminationConditionDto } from './draft-contract.dto';
import { IsCalendarDate, IsIdentifier, IsText, Nested, OneOfList, type Shape } from '../../../http/validators';
import { IsFen, IsPeriodDays } from './contract-validators';

/** Any change: its `type` picks the shape below; an unknown type fails here. */
class ChangeDto {
  @IsIn(AMENDMENT_CHANGE_TYPES) type!: AmendmentChangeType;
}
class ScopeChangeDto extends ChangeDto {
  @IsIn(SCOPES) scope!: Scope;
}
class ServiceFeeChangeDto extends ChangeDto {
  @IsFen() serviceFeeMonthlyFen!: number;
}
class CommissionRateChangeDto extends ChangeDto {
  @IsInt() @Min(0) @Max(10_000) commissionRateBp!: number;
}
class CommissionBaseChangeDto extends ChangeDto {
  @IsIn(COMMISSION_BASES) commissionBase!: CommissionBase;
}
class PromotionBudgetChangeDto extends ChangeDto {
  @IsFen() monthlyBudgetFen!: number;
}
class ShippingChangeDto extends ChangeDto {
  @Nested(() => ShippingDto) shipping!: ShippingDto;
}
class TermExtensionDto extends ChangeDto {
  @IsCalendarDate() endsOn!: string;
}
class NoticePeriodChangeDto extends ChangeDto {
  @IsPeriodDays() noticePeriodDays!: number;
}
class CurePeriodChangeDto extends ChangeDto {
  @IsPeriodDays() curePeriodDays!: number;
}
class HandoverPeriodChangeDto extends ChangeDto {
  @IsPeriodDays() handoverPeriodDays!: number;
}
class ClausesChangeDto extends ChangeDto {
  @Nested(() => ClausesDto) clauses!: ClausesDto;
}
class ShopChangeDto extends ChangeDto {
  @Nested(() => ShopDto) shop!: ShopDto;
}
class ConditionAdditionDto extends ChangeDto {
  @Nested(() => TerminationConditionDto) condition!: TerminationConditionDto;
}
class ConditionRemovalDto extends ChangeDto {
  @IsIdentifier() conditionId!: string;
}

/** Which shape each change type takes: for validation here and for the OpenAPI document. */
const CHANGE_SHAPES = {
  remove_scope: ScopeChangeDto,
  add_scope: ScopeChangeDto,
  change_service_fee: ServiceFeeChangeDto,
  change_commission_rate: CommissionRateChangeDto,
  change_commission_base: CommissionBaseChangeDto,
  change_promotion_budget: PromotionBudgetChangeDto,
  change_shipping: ShippingChangeDto,
  extend_term: TermExtensionDto,
  change_notice_period: NoticePeriodChangeDto,
  change_clauses: ClausesChangeDto,
  add_shop: ShopChangeDto,
  remove_shop: ShopChangeDto,
  change_cure_period: CurePeriodChangeDto,
  change_handover_period: HandoverPeriodChangeDto,
  add_termination_condition: ConditionAdditionDto,
  remove_termination_condition: ConditionRemovalDto,
} satisfies Record<AmendmentChangeType, Shape>;

export class AmendmentDto {
  /** The party proposing it: the other countersigns it before it takes effect. */
  @IsIn(PARTIES) proposedBy!: Party;
  /** The supplementary agreement's reference. */
  @IsText() documentRef!: string;
  @IsCalendarDate() effectiveOn!: string;
  @OneOfList('type', CHANGE_SHAPES, ChangeDto, { min: 1, max: 20 })
  changes!: ChangeDto[];
}

/** The other party countersigns a proposed agreement: from then it is in force. */
export class CountersignatureDto {
  @IsIn(PARTIES) party!: Party;
  /** The person who countersigned for the party. */
  @IsText() signatory!: string;
  @IsCalendarDate() countersignedOn!: string;
}

/** The other party turns a proposed agreement down. */
export class RejectionDto {
  @IsIn(PARTIES) party!: Party;
  @IsText(1000) reason!: string;
  @IsCalendarDate() rejectedOn!: string;
}

/** The proposing party takes its proposal back before the other answers. */
export class AmendmentWithdrawalDto {
  @IsCalendarDate() withdrawnOn!: string;
}
