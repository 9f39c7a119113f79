import { Controller, Get, Query } from '@nestjs/common';
import { OperationGroup } from '../../http/openapi-routes';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal } from '../../auth/http/auth.guard';
import { AtRevision } from '../../http/etag';
import { parseInstant } from '../../shared/calendar';
import type { Principal } from '../../shared/identity';
import type { HistoryCut } from '../application/contract-stream';
import {
  GetContractAsOfQuery,
  GetContractQuery,
  GetHandoverChecklistAsOfQuery,
  GetHandoverChecklistQuery,
  ListContractsQuery,
  type Versioned,
} from '../read-side/queries';
import { ContractIdParam as ContractId } from './contract-id.param';
import { ContractListQueryDto, ContractReadQuery, HandoverReadQuery } from './dto/read-query.dto';

const DEFAULT_PAGE = 20;

/** The contract reads: each route turns its request into a query for the QueryBus. */
@OperationGroup('Contracts')
@Controller('contracts')
export class ContractReadsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The contract list from the read model: filter by status, party, scope, platform; keyset pages. */
  @Get()
  list(@Query() query: ContractListQueryDto, @CurrentPrincipal() principal: Principal) {
    const { status, party, scope, platform, after, limit = DEFAULT_PAGE, minPosition } = query;
    return this.queryBus.execute(new ListContractsQuery(principal, { status, party, scope, platform, after, limit }, minPosition));
  }

  /**
   * The contract summary from the read model; `?termsOn=` the terms in force
   * on a date; `?asOf=` or `?revision=` the contract exactly as it stood
   * then, folded from its stream.
   */
  @Get(':id')
  async get(@ContractId() id: string, @Query() query: ContractReadQuery, @CurrentPrincipal() principal: Principal) {
    const { termsOn, minPosition } = query;
    const cut = cutOf(query);
    const read = cut ? new GetContractAsOfQuery(id, principal, cut, termsOn) : new GetContractQuery(id, principal, termsOn, minPosition);
    return atRevision(await this.queryBus.execute(read));
  }

  /** The handover checklist from the read model, or as of a time or revision from the stream. */
  @Get(':id/handover')
  async getHandover(@ContractId() id: string, @Query() query: HandoverReadQuery, @CurrentPrincipal() principal: Principal) {
    const cut = cutOf(query);
    const read = cut
      ? new GetHandoverChecklistAsOfQuery(id, principal, cut)
      : new GetHandoverChecklistQuery(id, principal, query.minPosition);
    return atRevision(await this.queryBus.execute(read));
  }
}

const atRevision = <View>({ view, revision }: Versioned<View>) => new AtRevision(view, revision);

/** `?asOf=` and `?revision=` as a cut of the history, if either is given (the query DTO let through only what parseInstant reads). */
function cutOf({ asOf, revision }: { asOf?: string; revision?: number }): HistoryCut | undefined {
  const instant = asOf === undefined ? undefined : parseInstant(asOf);
  if (instant === undefined && revision === undefined) return undefined;
  return { ...(instant ? { asOf: instant } : {}), ...(revision === undefined ? {} : { revision: BigInt(revision) }) };
}
