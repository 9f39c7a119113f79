import { Body, Controller, Param, Post } from '@nestjs/common';
import { OperationGroup } from '../../http/openapi-routes';
import { CommandBus } from '@nestjs/cqrs';
import { formatPosition } from '../../event-store/event-store.port';
import { AtRevision } from '../../http/etag';
import type { CommandContext } from '../application/contract-stream';
import { DraftContractCommand, RecordContractCommand, type ContractCommandOutcome } from '../application/command-handlers';
import type { HandoverEvidence } from '../domain/handover';
import type { AmendmentChange } from '../domain/terms';
import { ContractIdParam as ContractId } from './contract-id.param';
import { AmendmentDto } from './dto/amendment.dto';
import {
  AccountDto,
  AuthorizationDto,
  BreachDto,
  CureDto,
  DeregistrationDto,
  RevocationDto,
  SignatureDto,
  SignOffDto,
  TerminationDto,
} from './dto/contract-commands.dto';
import { DraftContractDto } from './dto/draft-contract.dto';
import { CompletionDto } from './dto/evidence.dto';
import { WriteContext } from './write-context';

/** What every write answers: the contract's new revision (also the ETag) and what was recorded. */
export interface WriteResponse {
  readonly contractId: string;
  readonly revision: number;
  /** Pass it as `minPosition` to a read to see this write in the read models. */
  readonly position: string;
  readonly recorded: readonly string[];
  readonly [createdId: string]: unknown;
}

/**
 * The contract commands: each route turns its request into a command for the
 * CommandBus. POST answers 201, DELETE 200. The three contract controllers
 * document as one group (OperationGroup).
 */
@OperationGroup('Contracts')
@Controller('contracts')
export class ContractCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  async draft(@Body() body: DraftContractDto, @WriteContext() context: CommandContext) {
    const { brand, operator, consultingFee, ...terms } = body;
    const request = {
      type: 'DraftContract',
      brand: { ...brand },
      operator: { ...operator },
      terms: plain(terms),
      ...(consultingFee ? { consultingFee: { ...consultingFee } } : {}),
    } as const;
    return answer(await this.commandBus.execute(new DraftContractCommand(request, context)));
  }

  @Post(':id/signatures')
  sign(@ContractId() id: string, @Body() body: SignatureDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'SignContract', ...body });
  }

  @Post(':id/amendments')
  amend(@ContractId() id: string, @Body() body: AmendmentDto, @WriteContext() context: CommandContext) {
    const { proposedBy, documentRef, effectiveOn, changes } = body;
    const request = {
      type: 'ProposeAmendment',
      proposedBy,
      documentRef,
      effectiveOn,
      changes: plain(changes) as AmendmentChange[],
    } as const;
    return this.record(id, context, request);
  }

  @Post(':id/accounts')
  registerAccount(@ContractId() id: string, @Body() body: AccountDto, @WriteContext() context: CommandContext) {
    const { kind, platform, accountName } = body;
    return this.record(id, context, { type: 'RegisterAccount', platform, accountName, accountKind: kind });
  }

  @Post(':id/accounts/:accountId/deregistration')
  deregisterAccount(
    @ContractId() id: string,
    @Param('accountId') accountId: string,
    @Body() body: DeregistrationDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'DeregisterAccount', accountId, ...body });
  }

  @Post(':id/authorizations')
  grantAuthorization(@ContractId() id: string, @Body() body: AuthorizationDto, @WriteContext() context: CommandContext) {
    const { type, platform, documentRef } = body;
    return this.record(id, context, { type: 'GrantAuthorization', authorizationType: type, platform, documentRef });
  }

  @Post(':id/authorizations/:authorizationId/revocation')
  revokeAuthorization(
    @ContractId() id: string,
    @Param('authorizationId') authorizationId: string,
    @Body() body: RevocationDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'RevokeAuthorization', authorizationId, ...body });
  }

  @Post(':id/breaches')
  recordBreach(@ContractId() id: string, @Body() body: BreachDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'RecordBreach', ...body });
  }

  @Post(':id/breaches/:breachId/cure')
  cureBreach(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: CureDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'CureBreach', breachId, curedOn: body.curedOn });
  }

  @Post(':id/termination')
  terminate(@ContractId() id: string, @Body() body: TerminationDto, @WriteContext() context: CommandContext) {
    const { initiatedBy, effectiveOn } = body;
    return this.record(id, context, { type: 'TerminateContract', initiatedBy, effectiveOn, grounds: body.toGrounds() });
  }

  @Post(':id/handover/items/:itemId/completion')
  completeItem(
    @ContractId() id: string,
    @Param('itemId') itemId: string,
    @Body() body: CompletionDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'CompleteHandoverItem', itemId, evidence: plain(body.evidence) as HandoverEvidence });
  }

  @Post(':id/handover/sign-offs')
  signOff(@ContractId() id: string, @Body() body: SignOffDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'SignOffHandover', ...body });
  }

  private record(contractId: string, context: CommandContext, request: RecordContractCommand['request']) {
    return recordCommand(this.commandBus, contractId, context, request);
  }
}

/** A command on an existing contract, through the bus to the one write path, answered as every write is. */
export async function recordCommand(
  commandBus: CommandBus,
  contractId: string,
  context: CommandContext,
  request: RecordContractCommand['request'],
): Promise<AtRevision<WriteResponse>> {
  return answer(await commandBus.execute(new RecordContractCommand(contractId, request, context)));
}

function answer({ contractId, revision, events, position, replayed, created }: ContractCommandOutcome): AtRevision<WriteResponse> {
  const body = {
    contractId,
    revision: Number(revision),
    position: formatPosition(position),
    recorded: events.map((event) => event.type),
    ...created,
  };
  return new AtRevision(body, revision, replayed);
}

/** Validated DTO instances to plain JSON values for events. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
