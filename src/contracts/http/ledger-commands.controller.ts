import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OperationGroup } from '../../http/openapi-routes';
import type { CommandContext } from '../application/contract-stream';
import { ContractIdParam as ContractId } from './contract-id.param';
import { recordCommand } from './contract-commands.controller';
import { PaymentDto, PromotionSpendDto, ReportConfirmationDto, ReportDisputeDto, SalesReportDto, StatementDto } from './dto/ledger.dto';
import { WriteContext } from './write-context';

/**
 * The monthly settlement ledger's commands: the operator reports sales and
 * promotion spend and issues statements, the brand confirms or disputes
 * reports and pays statements. Each goes the one write path of every
 * contract command (If-Match, Idempotency-Key, the ids it creates assigned
 * by the service); the ledger's routes document as one group.
 */
@OperationGroup('Ledger')
@Controller('contracts')
export class LedgerCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/sales-reports')
  reportSales(@ContractId() id: string, @Body() body: SalesReportDto, @WriteContext() context: CommandContext) {
    const { platform, shopName, supersedes, ...report } = body;
    return recordCommand(this.commandBus, id, context, {
      type: 'ReportSales',
      shop: { platform, name: shopName },
      ...report,
      ...(supersedes === undefined ? {} : { supersedes }),
    });
  }

  @Post(':id/sales-reports/:reportId/confirmation')
  confirmSalesReport(
    @ContractId() id: string,
    @Param('reportId') reportId: string,
    @Body() body: ReportConfirmationDto,
    @WriteContext() context: CommandContext,
  ) {
    return recordCommand(this.commandBus, id, context, { type: 'ConfirmSalesReport', reportId, confirmedOn: body.confirmedOn });
  }

  @Post(':id/sales-reports/:reportId/dispute')
  disputeSalesReport(
    @ContractId() id: string,
    @Param('reportId') reportId: string,
    @Body() body: ReportDisputeDto,
    @WriteContext() context: CommandContext,
  ) {
    const { reason, disputedOn } = body;
    return recordCommand(this.commandBus, id, context, { type: 'DisputeSalesReport', reportId, reason, disputedOn });
  }

  @Post(':id/promotion-spend')
  reportPromotionSpend(@ContractId() id: string, @Body() body: PromotionSpendDto, @WriteContext() context: CommandContext) {
    const { month, spentFen, documentRef } = body;
    return recordCommand(this.commandBus, id, context, { type: 'ReportPromotionSpend', month, spentFen, documentRef });
  }

  @Post(':id/statements')
  issueStatement(@ContractId() id: string, @Body() body: StatementDto, @WriteContext() context: CommandContext) {
    return recordCommand(this.commandBus, id, context, { type: 'IssueStatement', month: body.month, issuedOn: body.issuedOn });
  }

  @Post(':id/statements/:statementId/payments')
  recordPayment(
    @ContractId() id: string,
    @Param('statementId') statementId: string,
    @Body() body: PaymentDto,
    @WriteContext() context: CommandContext,
  ) {
    const { amountFen, paidOn, paymentRef } = body;
    return recordCommand(this.commandBus, id, context, { type: 'RecordPayment', statementId, amountFen, paidOn, paymentRef });
  }
}
