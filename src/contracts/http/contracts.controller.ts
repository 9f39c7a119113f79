import { Body, Controller, Delete, Get, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filter } from 'rxjs/operators';
import { randomUUID } from 'node:crypto';
import { problem } from '../../http/problem-details';
import { GetContractQuery, RecordContractCommand } from '../application/contract-bus';
import { contractStream, foldHistory, uuidFrom, type CommandContext, type LoadedContract } from '../application/contract-stream';
import { contractView, handoverView, type HandoverView } from '../read-side/views';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { formatPosition, parsePosition } from '../../event-store/event-store.port';
import { ProjectionRunner } from '../../projections/projection-runner';
import { ReadModels } from '../read-side/read-models';
import type { CommandOutcome } from '../application/execute-command';
import { canSee } from '../domain/access';
import { type Principal } from '../../shared/identity';
import type { ContractCommand } from '../domain/commands';
import { CurrentPrincipal } from '../../auth/http/auth.guard';
import type { TerminationGrounds } from '../domain/events';
import type { HandoverEvidence } from '../domain/handover';
import { DEFAULT_NOTICE_PERIOD_DAYS, type AmendmentChange } from '../domain/terms';
import { AmendmentDto } from './dto/amendment.dto';
import {
  AccountDto,
  AuthorizationDto,
  BreachDto,
  CureDto,
  RevocationDto,
  SignatureDto,
  SignOffDto,
  TerminationDto,
} from './dto/contract-commands.dto';
import { DraftContractDto } from './dto/draft-contract.dto';
import { CompletionDto } from './dto/evidence.dto';
import { ContractListQueryDto, ContractReadQuery, HandoverReadQuery } from './dto/read-query.dto';
import { ContractIdParam } from './contract-id.param';
import { contractNotFound } from '../domain/errors';
import { etag } from '../../http/headers';
import { parseInstant } from '../../shared/calendar';
import { WriteContext } from './write-context';

const ContractId = ContractIdParam;

/** What every write answers: the contract's new revision (also the ETag) and what was recorded. */
export interface WriteResponse {
  readonly contractId: string;
  readonly revision: number;
  /** Pass it as `minPosition` to a read to see this write in the read models. */
  readonly position: string;
  readonly recorded: readonly string[];
  readonly [createdId: string]: unknown;
}

/** Ids of things a command creates, returned so the client can address them. */
const CREATED_IDS = ['amendmentId', 'accountId', 'authorizationId', 'breachId'] as const;

/** Every POST records something and answers 201 with the new revision; DELETE answers 200. */
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  draft(@Body() body: DraftContractDto, @WriteContext() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    // A retried draft with the same Idempotency-Key must land on the same contract.
    const contractId = context.idempotency ? uuidFrom(`draft\n${context.actor}\n${context.idempotency.key}`) : randomUUID();
    const { brand, operator, consultingFee, noticePeriodDays = DEFAULT_NOTICE_PERIOD_DAYS, ...terms } = body;
    return this.record(reply, contractId, context, {
      type: 'DraftContract',
      contractId,
      brand: { ...brand },
      operator: { ...operator },
      terms: { ...plain(terms), noticePeriodDays },
      ...(consultingFee ? { consultingFee: { ...consultingFee } } : {}),
    });
  }

  @Post(':id/signatures')
  sign(
    @ContractId() id: string,
    @Body() body: SignatureDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'SignContract', ...body });
  }

  @Post(':id/amendments')
  amend(
    @ContractId() id: string,
    @Body() body: AmendmentDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, {
      type: 'AmendContract',
      amendmentId: newId(context, id),
      documentRef: body.documentRef,
      effectiveOn: body.effectiveOn,
      changes: plain(body.changes) as AmendmentChange[],
    });
  }

  @Post(':id/accounts')
  registerAccount(
    @ContractId() id: string,
    @Body() body: AccountDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { kind, platform, accountName } = body;
    return this.record(reply, id, context, {
      type: 'RegisterAccount',
      accountId: newId(context, id),
      platform,
      accountName,
      accountKind: kind,
    });
  }

  @Delete(':id/accounts/:accountId')
  deregisterAccount(
    @ContractId() id: string,
    @Param('accountId') accountId: string,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'DeregisterAccount', accountId });
  }

  @Post(':id/authorizations')
  grantAuthorization(
    @ContractId() id: string,
    @Body() body: AuthorizationDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { type, platform, documentRef } = body;
    return this.record(reply, id, context, {
      type: 'GrantAuthorization',
      authorizationId: newId(context, id),
      authorizationType: type,
      platform,
      documentRef,
    });
  }

  @Post(':id/authorizations/:authorizationId/revocation')
  revokeAuthorization(
    @ContractId() id: string,
    @Param('authorizationId') authorizationId: string,
    @Body() body: RevocationDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'RevokeAuthorization', authorizationId, ...body });
  }

  @Post(':id/breaches')
  recordBreach(
    @ContractId() id: string,
    @Body() body: BreachDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'RecordBreach', breachId: newId(context, id), ...body });
  }

  @Post(':id/breaches/:breachId/cure')
  cureBreach(
    @ContractId() id: string,
    @Param('breachId') breachId: string,
    @Body() body: CureDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'CureBreach', breachId, curedOn: body.curedOn });
  }

  @Post(':id/termination')
  terminate(
    @ContractId() id: string,
    @Body() body: TerminationDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, {
      type: 'TerminateContract',
      initiatedBy: body.initiatedBy,
      effectiveOn: body.effectiveOn,
      grounds: terminationGrounds(body),
    });
  }

  @Post(':id/handover/items/:itemId/completion')
  completeItem(
    @ContractId() id: string,
    @Param('itemId') itemId: string,
    @Body() body: CompletionDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, {
      type: 'CompleteHandoverItem',
      itemId,
      evidence: plain(body.evidence) as HandoverEvidence,
      completedBy: context.actor,
      completedAt: context.receivedAt,
    });
  }

  @Post(':id/handover/sign-offs')
  signOff(
    @ContractId() id: string,
    @Body() body: SignOffDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.record(reply, id, context, { type: 'SignOffHandover', ...body });
  }

  /** The contract list from the read model: filter by status, party, scope, platform; keyset pages. */
  @Get()
  async list(@Query() query: ContractListQueryDto, @CurrentPrincipal() principal: Principal) {
    await this.readAfter(query.minPosition);
    const { status, party, scope, platform, after } = query;
    return this.readModels.list(principal, { status, party, scope, platform, after, limit: query.limit ?? DEFAULT_PAGE });
  }

  /**
   * The contract summary from the read model; `?termsOn=` the terms in force
   * on a date; `?asOf=` or `?revision=` the contract exactly as it stood
   * then, folded from its stream.
   */
  @Get(':id')
  async get(
    @ContractId() id: string,
    @Query() query: ContractReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (isTimeTravel(query)) {
      const { state, revision } = await this.fromHistory(id, query, principal);
      reply.header('etag', etag(revision));
      return contractView(state, query.termsOn);
    }
    await this.readAfter(query.minPosition);
    const found = this.readModels.summary(id, principal);
    if (!found) throw contractNotFound();
    reply.header('etag', etag(found.revision));
    return query.termsOn ? contractView(found.state, query.termsOn) : found.view;
  }

  /** The handover checklist from the read model, or as of a time or revision from the stream. */
  @Get(':id/handover')
  async getHandover(
    @ContractId() id: string,
    @Query() query: HandoverReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    let found: { view?: HandoverView; revision: bigint } | undefined;
    if (isTimeTravel(query)) {
      const { state, revision } = await this.fromHistory(id, query, principal);
      found = { revision, view: handoverView(state) };
    } else {
      await this.readAfter(query.minPosition);
      const projected = this.readModels.checklist(id, principal);
      if (!projected) throw contractNotFound();
      found = projected;
    }
    reply.header('etag', etag(found.revision));
    if (!found.view) {
      throw new NotFoundException(problem(404, 'handover.not_started', 'The handover starts when the contract is terminated.'));
    }
    return found.view;
  }

  /**
   * The live checklist as Server-Sent Events: `checklist` events carrying the
   * checklist now, then again each time a change to it is projected (`data`
   * is null before termination). Ends when the client disconnects or the
   * service stops.
   */
  @Get(':id/handover/stream')
  streamHandover(
    @ContractId() id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const first = this.readModels.checklist(id, principal);
    if (!first) throw contractNotFound();
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': request.id,
    });
    const send = ({ view, revision }: { view?: HandoverView; revision: bigint }) =>
      response.write(`event: checklist\nid: ${revision}\ndata: ${JSON.stringify(view ?? null)}\n\n`);
    send(first);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    const stream = contractStream(id);
    const changes = this.runner.changes$.pipe(filter((change) => change.projection === 'handover' && change.stream === stream)).subscribe({
      next: () => {
        try {
          const now = this.readModels.checklist(id, principal);
          if (now) send(now);
        } catch (error) {
          // The checklist can no longer be served (its contract was quarantined, the read model stopped): say why and end.
          const reason =
            error instanceof Error && 'code' in error
              ? { code: error.code, detail: error.message }
              : { code: 'internal', detail: 'The checklist cannot be served.' };
          response.end(`event: problem\ndata: ${JSON.stringify(reason)}\n\n`);
          changes.unsubscribe();
        }
      },
      complete: () => response.end(),
    });
    request.raw.on('close', () => {
      changes.unsubscribe();
      clearInterval(heartbeat);
    });
  }

  private async fromHistory(id: string, query: { asOf?: string; revision?: number }, principal: Principal) {
    const cut = {
      ...(query.asOf === undefined ? {} : { asOf: instantOf(query.asOf) }),
      ...(query.revision === undefined ? {} : { revision: BigInt(query.revision) }),
    };
    const now: LoadedContract = await this.queryBus.execute(new GetContractQuery(id));
    // Visibility is judged on the contract as it is now, not as it was then.
    if (!canSee(principal, now.state)) throw contractNotFound();
    const { state, revision, malformed } = foldHistory(now.recorded, cut);
    if (malformed) throw malformed;
    if (state.status === 'none' || revision === undefined) throw contractNotFound();
    return { state, revision };
  }

  /** Read your own writes: wait (bounded) until the read models have applied the write at `minPosition`. */
  private async readAfter(minPosition: string | undefined): Promise<void> {
    const position = minPosition === undefined ? undefined : parsePosition(minPosition);
    if (position) await this.runner.waitFor(position, this.config.projectionWaitMs);
  }

  private async record(reply: FastifyReply, contractId: string, context: CommandContext, command: ContractCommand): Promise<WriteResponse> {
    const outcome: CommandOutcome = await this.commandBus.execute(new RecordContractCommand(contractId, command, context));
    reply.header('etag', etag(outcome.revision));
    if (outcome.replayed) reply.header('idempotent-replayed', 'true');
    return writeResponse(outcome);
  }
}

const DEFAULT_PAGE = 20;
/** A comment line now and then keeps proxies from closing an idle event stream. */
const SSE_HEARTBEAT_MS = 15_000;

const isTimeTravel = (query: { asOf?: string; revision?: number }) => query.asOf !== undefined || query.revision !== undefined;

/** `asOf` as an instant: the query DTO let through only what parseInstant reads. */
const instantOf = (asOf: string): Date => parseInstant(asOf)!;

function writeResponse({ contractId, revision, events, position }: CommandOutcome): WriteResponse {
  const created: Record<string, unknown> = {};
  for (const event of events) {
    for (const key of CREATED_IDS) {
      if (key in event.data) created[key] = (event.data as Record<string, unknown>)[key];
    }
  }
  return {
    contractId,
    revision: Number(revision),
    position: formatPosition(position),
    recorded: events.map((event) => event.type),
    ...created,
  };
}

/**
 * The domain's grounds from the flat body. TerminationDto requires exactly the
 * fields of the grounds named, so the last line is reached only if the two
 * ever disagree: a bug, answered 500 rather than guessed around.
 */
function terminationGrounds({
  grounds,
  breachId,
  documentRef,
  brandSignatory,
  operatorSignatory,
  clause,
}: TerminationDto): TerminationGrounds {
  if (grounds === 'breach' && breachId !== undefined) return { type: grounds, breachId };
  if (grounds === 'mutual_agreement' && documentRef !== undefined && brandSignatory !== undefined && operatorSignatory !== undefined) {
    return { type: grounds, documentRef, brandSignatory, operatorSignatory };
  }
  if (grounds === 'expiry') return { type: grounds };
  if (grounds === 'stipulated_condition' && clause !== undefined) return { type: grounds, clause };
  throw new Error(`TerminationDto let grounds ${grounds} through without its fields`);
}

/** The id of something a command creates: derived from the Idempotency-Key when there is one, so a retry decides the same. */
function newId(context: CommandContext, contractId: string): string {
  return context.idempotency ? uuidFrom(`${contractId}\n${context.idempotency.key}\nnew`) : randomUUID();
}

/** Validated DTO instances to plain JSON values for events. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
