import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OperationGroup } from '../../http/openapi-routes';
import type { CommandContext } from '../application/contract-stream';
import type { RecordContractCommand } from '../application/command-handlers';
import { ContractIdParam as ContractId } from './contract-id.param';
import { recordCommand } from './contract-commands.controller';
import {
  AcknowledgementDto,
  BreachNoticeDto,
  ContestDto,
  CureAcceptanceDto,
  CureClaimDto,
  CureRejectionDto,
  IncidentReportDto,
} from './dto/duties.dto';
import { WriteContext } from './write-context';

/**
 * Duties, breach notice and cure: the party owed a duty reports incidents of
 * the other's, which answers them; a party serves notice of the other's
 * breach, which answers it and claims its cure; the notifying party accepts
 * or rejects the cure. Contract commands, documented with the others
 * (OperationGroup).
 */
@OperationGroup('Contracts')
@Controller('contracts')
export class DutiesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/incidents')
  reportIncident(@ContractId() id: string, @Body() body: IncidentReportDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'ReportDutyIncident', ...body });
  }

  @Post(':id/incidents/:incidentId/acknowledgement')
  acknowledgeIncident(
    @ContractId() id: string,
    @Param('incidentId') incidentId: string,
    @Body() body: AcknowledgementDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'AcknowledgeDutyIncident', incidentId, ...body });
  }

  @Post(':id/incidents/:incidentId/contest')
  contestIncident(
    @ContractId() id: string,
    @Param('incidentId') incidentId: string,
    @Body() body: ContestDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'ContestDutyIncident', incidentId, ...body });
  }

  @Post(':id/breaches')
  noticeBreach(@ContractId() id: string, @Body() body: BreachNoticeDto, @WriteContext() context: CommandContext) {
    const { clause, incidentIds, ...notice } = body;
    return this.record(id, context, {
      type: 'NoticeBreach',
      ...notice,
      ...(clause === undefined ? {} : { clause }),
      incidentIds: [...incidentIds],
    });
  }

  @Post(':id/breaches/:breachId/acknowledgement')
  acknowledgeBreach(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: AcknowledgementDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'AcknowledgeBreach', breachId, ...body });
  }

  @Post(':id/breaches/:breachId/contest')
  contestBreach(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: ContestDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'ContestBreach', breachId, ...body });
  }

  @Post(':id/breaches/:breachId/cure')
  claimCure(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: CureClaimDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'ClaimBreachCure', breachId, ...body });
  }

  @Post(':id/breaches/:breachId/cure/acceptance')
  acceptCure(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: CureAcceptanceDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'AcceptBreachCure', breachId, ...body });
  }

  @Post(':id/breaches/:breachId/cure/rejection')
  rejectCure(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: CureRejectionDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'RejectBreachCure', breachId, ...body });
  }

  private record(contractId: string, context: CommandContext, request: RecordContractCommand['request']) {
    return recordCommand(this.commandBus, contractId, context, request);
  }
}
