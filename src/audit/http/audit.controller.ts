import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { type Principal } from '../../shared/identity';
import { CurrentPrincipal, Roles } from '../../auth/http/auth.guard';
import { ContractIdParam } from '../../contracts/http/contract-id.param';
import { parsePosition, POSITION_PATTERN, type Position } from '../../event-store/event-store.port';
import { wantsForm } from '../../http/negotiation';
import { ConsistentReadQuery } from '../../http/read-query';
import { problem } from '../../http/problem-details';
import type { HistoryDigest } from '../digest';
import type { ChainVerdict } from '../hash-chain';
import { GetContractHistoryQuery, GetDigestQuery, VerifyContractChainQuery, VerifyDigestQuery, type DigestVerification } from '../queries';

export class DigestVerificationDto {
  /** The position the kept digest was taken at. */
  @Matches(POSITION_PATTERN, { message: 'position must be a global position such as 42' }) position!: string;
  @Matches(/^[0-9a-f]{64}$/, { message: 'digest must be a SHA-256 in hex' }) digest!: string;
}

/** History reads the store itself, always current; `minPosition` is accepted like on every read. */
export class EventsQuery extends ConsistentReadQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) from?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsIn(['json', 'ndjson']) format?: 'json' | 'ndjson';
}

/** Events a history page holds unless `limit` says otherwise. */
const DEFAULT_HISTORY_PAGE = 100;

/** What auditors use to prove the history was not altered. */
@Controller()
export class AuditController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * Every event of the contract in order, with its revision, global position
   * and metadata (actor, recorded at, effective date, correlation and
   * causation ids, hash). Paginated by revision; `?format=ndjson` (or
   * `Accept: application/x-ndjson`) gives the page as one JSON event a line, for export.
   */
  @Get('contracts/:id/events')
  async events(
    @ContractIdParam() id: string,
    @Query() query: EventsQuery,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const limit = query.limit ?? DEFAULT_HISTORY_PAGE;
    const { events, nextFrom } = await this.queryBus.execute(new GetContractHistoryQuery(id, principal, query.from ?? 0, limit));
    if (wantsForm(reply, { format: query.format, accept }, 'ndjson', 'application/x-ndjson')) {
      reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      if (nextFrom !== null) reply.header('link', `</contracts/${id}/events?from=${nextFrom}&limit=${limit}&format=ndjson>; rel="next"`);
      return events.map((event) => JSON.stringify(event)).join('\n') + '\n';
    }
    return { contractId: id, events, nextFrom };
  }

  /** Recomputes the contract's hash chain: ok, or the first event where it breaks. */
  @Get('contracts/:id/integrity')
  async integrity(@ContractIdParam() id: string, @CurrentPrincipal() principal: Principal): Promise<{ contractId: string } & ChainVerdict> {
    return { contractId: id, ...(await this.queryBus.execute(new VerifyContractChainQuery(id, principal))) };
  }

  /** A digest over the heads of all contract streams at a position (default: now), to keep outside the system. */
  @Get('audit/digest')
  @Roles('auditor', 'admin')
  digest(@Query('position') position?: string): Promise<HistoryDigest> {
    return this.queryBus.execute(new GetDigestQuery(position === undefined ? undefined : positionOf(position)));
  }

  /** Recomputes the digest at the kept digest's position: equal means nothing up to there was rewritten. */
  @Post('audit/digest/verification')
  @Roles('auditor', 'admin')
  @HttpCode(200)
  verify(@Body() kept: DigestVerificationDto): Promise<DigestVerification> {
    return this.queryBus.execute(new VerifyDigestQuery(kept, positionOf(kept.position)));
  }
}

function positionOf(text: string): Position {
  const position = parsePosition(text);
  if (!position) throw new BadRequestException(problem(400, 'request.invalid', 'position must be a global position such as 42.'));
  return position;
}
