import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Post, Query } from '@nestjs/common';
import { Matches } from 'class-validator';
import { contractStream } from '../contracts/application/contract-stream';
import { ContractIdParam } from '../contracts/http/contract-id.param';
import { EventStore, parsePosition, type Position } from '../event-store/event-store.port';
import { problem } from '../http/problem-details';
import { computeDigest, type HistoryDigest } from './digest';
import { verifyChain, type ChainVerdict } from './hash-chain';

export class DigestVerificationDto {
  /** The position the kept digest was taken at. */
  @Matches(/^\d{1,20}(\/\d{1,20})?$/, { message: 'position must be a global position such as 42' }) position!: string;
  @Matches(/^[0-9a-f]{64}$/, { message: 'digest must be a SHA-256 in hex' }) digest!: string;
}

/** What auditors use to prove the history was not altered. */
@Controller()
export class AuditController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  /** Recomputes the contract's hash chain: ok, or the first event where it breaks. */
  @Get('contracts/:id/integrity')
  async integrity(@ContractIdParam() id: string): Promise<{ contractId: string } & ChainVerdict> {
    const read = await this.store.readStream(contractStream(id));
    if (!read.found) throw new NotFoundException(problem(404, 'contract.not_found', 'There is no such contract.'));
    return { contractId: id, ...verifyChain(read.events) };
  }

  /** A digest over the heads of all contract streams at a position (default: now), to keep outside the system. */
  @Get('audit/digest')
  digest(@Query('position') position?: string): Promise<HistoryDigest> {
    return computeDigest(this.store, position === undefined ? undefined : positionOf(position));
  }

  /** Recomputes the digest at the kept digest's position: equal means nothing up to there was rewritten. */
  @Post('audit/digest/verification')
  @HttpCode(200)
  async verify(@Body() kept: DigestVerificationDto) {
    const recomputed = await computeDigest(this.store, positionOf(kept.position));
    return { ok: recomputed.digest === kept.digest && recomputed.position === kept.position, kept, recomputed };
  }
}

function positionOf(text: string): Position {
  const position = parsePosition(text);
  if (!position) throw new BadRequestException(problem(400, 'request.invalid', 'position must be a global position such as 42.'));
  return position;
}
