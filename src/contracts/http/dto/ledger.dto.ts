import { Matches } from 'class-validator';
import { MONTH_PATTERN } from '../../../shared/calendar';
import { IsCalendarDate, IsOptionalNotNull, IsText } from '../../../http/validators';
import { MAX_REPORTED_FEN } from '../../domain/ledger';
import { IsFen } from './contract-validators';

/** The bounds of amounts on a report (ledger.ts). */
const REPORTED = { max: MAX_REPORTED_FEN };

/** A calendar month, as statements and promotion spend name it. */
const IsMonth = () => Matches(MONTH_PATTERN, { message: '$property must be a calendar month YYYY-MM' });

/** One shop's sales over a period within a calendar month, as the operator reports them from the shop's and Alipay's figures. */
export class SalesReportDto {
  @IsText(50) platform!: string;
  @IsText() shopName!: string;
  @IsCalendarDate() periodStart!: string;
  @IsCalendarDate() periodEnd!: string;
  @IsFen(REPORTED) grossSalesFen!: number;
  @IsFen(REPORTED) refundsFen!: number;
  @IsFen(REPORTED) shippingCostFen!: number;
  @IsText() documentRef!: string;
  /** The report this one corrects (its `reportId`): a correction supersedes, never edits. */
  @IsOptionalNotNull() @IsText(100) supersedes?: string;
}

export class ReportConfirmationDto {
  @IsCalendarDate() confirmedOn!: string;
}

export class ReportDisputeDto {
  @IsText(1000) reason!: string;
  @IsCalendarDate() disputedOn!: string;
}

export class PromotionSpendDto {
  @IsMonth() month!: string;
  @IsFen(REPORTED) spentFen!: number;
  @IsText() documentRef!: string;
}

export class StatementDto {
  @IsMonth() month!: string;
  @IsCalendarDate() issuedOn!: string;
}

export class PaymentDto {
  @IsFen({ min: 1 }) amountFen!: number;
  @IsCalendarDate() paidOn!: string;
  @IsText() paymentRef!: string;
}
