import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Matches } from 'class-validator';
import { foldHistory } from '../../contracts/application/contract-stream';
import { contractNotFound } from '../../contracts/domain/errors';
import { canSee } from '../../contracts/domain/access';
import { type Principal } from '../../shared/identity';
import { CurrentPrincipal, Roles } from '../../auth/http/auth.guard';
import { ContractIdParam } from '../../contracts/http/contract-id.param';
import { EventStore, parsePosition, POSITION_PATTERN, type Position, type RecordedEvent } from '../../event-store/event-store.port';
import { EventsQuery } from '../../contracts/http/dto/read-query.dto';
import { problem } from '../../http/problem-details';
import { computeDigest, type HistoryDigest } from '../digest';
import { verifyChain, type ChainVerdict } from '../hash-chain';
import { historyPage, readContractHistory } from '../history';

export class DigestVerificationDto {
  /** The position the kept digest was taken at. */
  @Matches(POSITION_PATTERN, { message: 'position must be a global position such as 42' }) position!: string;
  @Matches(/^[0-9a-f]{64}$/, { message: 'digest must be a SHA-256 in hex' }) digest!: string;
}

/** What auditors use to prove the history was not altered. */
@Controller()
export class AuditController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

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
    const limit = query.limit ?? 100;
    const { events, nextFrom } = historyPage(await this.visibleHistory(id, principal), query.from ?? 0, limit);
    if (query.format === 'ndjson' || (query.format === undefined && accept?.includes('application/x-ndjson'))) {
      reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      if (nextFrom !== null) reply.header('link', `</contracts/${id}/events?from=${nextFrom}&limit=${limit}&format=ndjson>; rel="next"`);
      return events.map((event) => JSON.stringify(event)).join('\n') + '\n';
    }
    return { contractId: id, events, nextFrom };
  }

  /** Recomputes the contract's hash chain: ok, or the first event where it breaks. */
  @Get('contracts/:id/integrity')
  async integrity(@ContractIdParam() id: string, @CurrentPrincipal() principal: Principal): Promise<{ contractId: string } & ChainVerdict> {
    return { contractId: id, ...verifyChain(await this.visibleHistory(id, principal)) };
  }

  /** A digest over the heads of all contract streams at a position (default: now), to keep outside the system. */
  @Get('audit/digest')
  @Roles('auditor', 'admin')
  digest(@Query('position') position?: string): Promise<HistoryDigest> {
    return computeDigest(this.store, position === undefined ? undefined : positionOf(position));
  }

  /** Recomputes the digest at the kept digest's position: equal means nothing up to there was rewritten. */
  @Post('audit/digest/verification')
  @Roles('auditor', 'admin')
  @HttpCode(200)
  async verify(@Body() kept: DigestVerificationDto) {
    const recomputed = await computeDigest(this.store, positionOf(kept.position));
    return { ok: recomputed.digest === kept.digest && recomputed.position === kept.position, kept, recomputed };
  }

  /**
   * The contract's events, if the principal may read them: parties, auditors,
   * admins and (in handover) coordinators; others learn nothing. A history
   * altered so far that it no longer folds is still open to auditors and admins.
   */
  private async visibleHistory(id: string, principal: Principal): Promise<readonly RecordedEvent[]> {
    const recorded = await readContractHistory(this.store, id);
    if (!recorded) throw contractNotFound();
    const everything = principal.role === 'auditor' || principal.role === 'admin';
    if (!everything && !canSee(principal, foldHistory(recorded).state)) throw contractNotFound();
    return recorded;
  }
}

function positionOf(text: string): Position {
  const position = parsePosition(text);
  if (!position) throw new BadRequestException(problem(400, 'request.invalid', 'position must be a global position such as 42.'));
  return position;
}
