import { BadRequestException, Controller, ForbiddenException, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/http/auth.guard';
import { AtRevision, etagOf } from '../../http/etag';
import { wantsForm } from '../../http/negotiation';
import { OperationGroup } from '../../http/openapi-routes';
import { problem } from '../../http/problem-details';
import type { Principal } from '../../shared/identity';
import type { Party } from '../domain/terms';
import { GetLedgerQuery, GetPartyLedgerQuery, GetStatementQuery, type Versioned } from '../read-side/queries';
import { ContractIdParam as ContractId } from './contract-id.param';
import { LedgerReadQuery, PayablesQuery, ReceivablesQuery } from './dto/read-query.dto';
import { ledgerCsv, statementCsv } from './ledger-csv';

/**
 * The ledger's reads, from the contracts read model (which holds the ledger
 * in the contract's state), after `minPosition` like every read: a
 * contract's ledger and statements for its brand and operator, auditors and
 * admins (a coordinator gets 403, anyone else 404 as for the contract), as
 * JSON with the contract's revision as ETag, or as CSV; and an operator's
 * receivables and a brand's payables across their contracts.
 */
@OperationGroup('Ledger')
@Controller()
export class LedgerReadsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Month by month: the service days, reports, the statement, charged, paid and open, promotion against budget; the totals; every report, statement and payment. */
  @Get('contracts/:id/ledger')
  async getLedger(
    @ContractId() id: string,
    @Query() query: LedgerReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const read = await this.queryBus.execute(new GetLedgerQuery(id, principal, query.minPosition));
    return wantsCsv(reply, query, accept) ? sendCsv(reply, read, `ledger-${id}.csv`, ledgerCsv(read.view)) : atRevision(read);
  }

  /** A statement with its lines and terms, what was paid against it, and whether the history as it stands computes the same. */
  @Get('contracts/:id/statements/:statementId')
  async getStatement(
    @ContractId() id: string,
    @Param('statementId') statementId: string,
    @Query() query: LedgerReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const read = await this.queryBus.execute(new GetStatementQuery(id, statementId, principal, query.minPosition));
    const filename = `statement-${id}-${read.view.month}.csv`;
    return wantsCsv(reply, query, accept) ? sendCsv(reply, read, filename, statementCsv(read.view)) : atRevision(read);
  }

  /** What an operator's contracts charged its brands, what was paid and what is open. */
  @Get('ledger/receivables')
  @Roles('operator', 'auditor', 'admin')
  receivables(@Query() query: ReceivablesQuery, @CurrentPrincipal() principal: Principal) {
    const partyId = partyOf(principal, 'operator', query.operatorId, 'operatorId');
    return this.queryBus.execute(new GetPartyLedgerQuery('operator', partyId, query.minPosition));
  }

  /** What a brand's contracts charge it, what it paid and what is open. */
  @Get('ledger/payables')
  @Roles('brand', 'auditor', 'admin')
  payables(@Query() query: PayablesQuery, @CurrentPrincipal() principal: Principal) {
    const partyId = partyOf(principal, 'brand', query.brandId, 'brandId');
    return this.queryBus.execute(new GetPartyLedgerQuery('brand', partyId, query.minPosition));
  }
}

const atRevision = <View>({ view, revision }: Versioned<View>) => new AtRevision(view, revision);

/** `?format=csv`, or no format and an Accept header that asks for CSV (the answer then varies by Accept). */
const wantsCsv = (reply: FastifyReply, { format }: LedgerReadQuery, accept: string | undefined) =>
  wantsForm(reply, { format, accept }, 'csv', 'text/csv');

/** The CSV as a download, with the revision it shows as its ETag (an answer of text skips the AtRevision hook). */
function sendCsv(reply: FastifyReply, { revision }: Versioned<unknown>, filename: string, csv: string): string {
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('etag', etagOf(revision));
  return csv;
}

/**
 * The party whose receivables or payables are read: a brand or operator key
 * reads its own party's (naming another is refused), an auditor or admin
 * names the party.
 */
function partyOf(principal: Principal, side: Party, named: string | undefined, parameter: string): string {
  if (principal.role === side) {
    if (named !== undefined && named !== principal.partyId) {
      throw new ForbiddenException(problem(403, 'access.not_your_party', `A ${side} key reads its own party's ledger only.`));
    }
    return principal.partyId ?? '';
  }
  if (named === undefined) {
    throw new BadRequestException(problem(400, 'ledger.party_required', `An ${principal.role} key names the ${side}: ?${parameter}=`));
  }
  return named;
}
