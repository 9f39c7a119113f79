import { Controller, Get, Req, Res } from '@nestjs/common';
import { OperationGroup } from '../../http/openapi-routes';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/http/auth.guard';
import type { Principal } from '../../shared/identity';
import { WatchHandoverChecklistQuery, type ChecklistState } from '../read-side/queries';
import { ContractIdParam as ContractId } from './contract-id.param';

/** A comment line now and then keeps proxies from closing an idle event stream. */
const SSE_HEARTBEAT_MS = 15_000;

@OperationGroup('Contracts')
@Controller('contracts')
export class HandoverStreamController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * The live checklist as Server-Sent Events: `checklist` events carrying the
   * checklist now, then again each time a change to it is projected (`data`
   * is null while there is no handover, final or partial). Ends when the client disconnects or the
   * service stops; a checklist that can no longer be served ends it with a
   * `problem` event saying why.
   */
  @Get(':id/handover/stream')
  async streamHandover(
    @ContractId() id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const checklists = await this.queryBus.execute(new WatchHandoverChecklistQuery(id, principal));
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': request.id,
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    const subscription = checklists.subscribe({
      next: ({ view, revision }: ChecklistState) =>
        response.write(`event: checklist\nid: ${revision}\ndata: ${JSON.stringify(view ?? null)}\n\n`),
      error: (error: unknown) => {
        const reason =
          error instanceof Error && 'code' in error
            ? { code: error.code, detail: error.message }
            : { code: 'internal', detail: 'The checklist cannot be served.' };
        response.end(`event: problem\ndata: ${JSON.stringify(reason)}\n\n`);
      },
      complete: () => response.end(),
    });
    request.raw.on('close', () => {
      subscription.unsubscribe();
      clearInterval(heartbeat);
    });
  }
}
