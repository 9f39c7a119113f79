import { Body, Controller, Param, Post } from '@nestjs/common';
import { OperationGroup } from '../../http/openapi-routes';
import { CommandBus } from '@nestjs/cqrs';
import { formatPosition } from '../../event-store/event-store.port';
import { AtRevision } from '../../http/etag';
import type { Principal } from '../../shared/identity';
import type { CommandContext } from '../application/contract-stream';
import { DraftContractCommand, RecordContractCommand, type ContractCommandOutcome } from '../application/command-handlers';
import type { HandoverEvidence } from '../domain/handover';
import type { AmendmentChange, Party } from '../domain/terms';
import { ContractIdParam as ContractId } from './contract-id.param';
import { AmendmentDto, AmendmentWithdrawalDto, CountersignatureDto, RejectionDto } from './dto/amendment.dto';
import {
  AccountDto,
  AuthorizationDto,
  DraftWithdrawalDto,
  PartyReasonDto,
  RevocationDto,
  SignatureDto,
  SignOffDto,
  TerminationDto,
  WaiverAgreementDto,
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
 * A handover step's two routes: on the final handover, and on the partial
 * handover of scopes an agreement took back (`:handoverId`, the agreement's
 * id). One handler serves both; its `handoverId` is undefined on the first.
 * The OpenAPI document names the second `<operation>[1]` (see openapi.ts).
 */
const onEitherHandover = (step: string) => [`:id/handover/${step}`, `:id/partial-handovers/:handoverId/${step}`];

/** The handover a step names: a partial one, or (without an id) the final one. */
const handover = (handoverId: string | undefined) => (handoverId === undefined ? {} : { handoverId });

/**
 * The party a brand or operator key acts for when a command records who
 * drafted or declared something; none for an admin, who acts for neither.
 */
const partyOf = ({ role }: Principal): Party | undefined => (role === 'brand' || role === 'operator' ? role : undefined);

/**
 * The contract commands: each route turns its request into a command for the
 * CommandBus; every one answers 201. The three contract controllers
 * document as one group (OperationGroup).
 */
@OperationGroup('Contracts')
@Controller('contracts')
export class ContractCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  async draft(@Body() body: DraftContractDto, @WriteContext() context: CommandContext) {
    const { brand, operator, consultingFee, ...terms } = body;
    const draftedBy = partyOf(context.principal);
    const request = {
      type: 'DraftContract',
      brand: { ...brand },
      operator: { ...operator },
      terms: plain(terms),
      ...(consultingFee ? { consultingFee: { ...consultingFee } } : {}),
      ...(draftedBy ? { draftedBy } : {}),
    } as const;
    return answer(await this.commandBus.execute(new DraftContractCommand(request, context)));
  }

  /** The drafter takes its draft back before both parties have signed. */
  @Post(':id/withdrawal')
  withdrawDraft(@ContractId() id: string, @Body() body: DraftWithdrawalDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'WithdrawDraft', ...body });
  }

  @Post(':id/signatures')
  sign(@ContractId() id: string, @Body() body: SignatureDto, @WriteContext() context: CommandContext) {
    return this.record(id, context, { type: 'SignContract', ...body });
  }

  /** Proposes a supplementary agreement: in force once the other party countersigns it. */
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

  @Post(':id/amendments/:amendmentId/countersignature')
  countersignAmendment(
    @ContractId() id: string,
    @Param('amendmentId') amendmentId: string,
    @Body() body: CountersignatureDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'CountersignAmendment', amendmentId, ...body });
  }

  @Post(':id/amendments/:amendmentId/rejection')
  rejectAmendment(
    @ContractId() id: string,
    @Param('amendmentId') amendmentId: string,
    @Body() body: RejectionDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'RejectAmendment', amendmentId, ...body });
  }

  @Post(':id/amendments/:amendmentId/withdrawal')
  withdrawAmendment(
    @ContractId() id: string,
    @Param('amendmentId') amendmentId: string,
    @Body() body: AmendmentWithdrawalDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'WithdrawAmendment', amendmentId, withdrawnOn: body.withdrawnOn });
  }

  /** The operator declares the accounts it runs; the brand may declare those it knows the operator holds. */
  @Post(':id/accounts')
  registerAccount(@ContractId() id: string, @Body() body: AccountDto, @WriteContext() context: CommandContext) {
    const { kind, platform, accountName } = body;
    const declaredBy = partyOf(context.principal);
    return this.record(id, context, {
      type: 'RegisterAccount',
      platform,
      accountName,
      accountKind: kind,
      ...(declaredBy ? { declaredBy } : {}),
    });
  }

  @Post(':id/accounts/:accountId/deregistration')
  deregisterAccount(
    @ContractId() id: string,
    @Param('accountId') accountId: string,
    @Body() body: PartyReasonDto,
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

  @Post(':id/termination')
  terminate(@ContractId() id: string, @Body() body: TerminationDto, @WriteContext() context: CommandContext) {
    const { initiatedBy, effectiveOn } = body;
    return this.record(id, context, { type: 'TerminateContract', initiatedBy, effectiveOn, grounds: body.toGrounds() });
  }

  @Post(onEitherHandover('items/:itemId/completion'))
  completeItem(
    @ContractId() id: string,
    @Param('handoverId') handoverId: string | undefined,
    @Param('itemId') itemId: string,
    @Body() body: CompletionDto,
    @WriteContext() context: CommandContext,
  ) {
    const evidence = plain(body.evidence) as HandoverEvidence;
    return this.record(id, context, { type: 'CompleteHandoverItem', ...handover(handoverId), itemId, evidence });
  }

  /** One party proposes that an item does not apply; the other agrees (waiver/agreement) or not. */
  @Post(onEitherHandover('items/:itemId/waiver'))
  proposeWaiver(
    @ContractId() id: string,
    @Param('handoverId') handoverId: string | undefined,
    @Param('itemId') itemId: string,
    @Body() body: PartyReasonDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'ProposeItemWaiver', ...handover(handoverId), itemId, ...body });
  }

  @Post(onEitherHandover('items/:itemId/waiver/agreement'))
  agreeWaiver(
    @ContractId() id: string,
    @Param('handoverId') handoverId: string | undefined,
    @Param('itemId') itemId: string,
    @Body() body: WaiverAgreementDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'AgreeItemWaiver', ...handover(handoverId), itemId, ...body });
  }

  /** A party disputes an open item: completing or waiving it resolves the dispute. */
  @Post(onEitherHandover('items/:itemId/dispute'))
  disputeItem(
    @ContractId() id: string,
    @Param('handoverId') handoverId: string | undefined,
    @Param('itemId') itemId: string,
    @Body() body: PartyReasonDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'DisputeHandoverItem', ...handover(handoverId), itemId, ...body });
  }

  @Post(onEitherHandover('sign-offs'))
  signOff(
    @ContractId() id: string,
    @Param('handoverId') handoverId: string | undefined,
    @Body() body: SignOffDto,
    @WriteContext() context: CommandContext,
  ) {
    return this.record(id, context, { type: 'SignOffHandover', ...handover(handoverId), ...body });
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
