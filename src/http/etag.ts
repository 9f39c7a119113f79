import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/**
 * An answer showing something at a revision: sent as `body`, with the
 * revision as its ETag (what If-Match takes back), and `Idempotent-Replayed`
 * when it repeats the first answer to an Idempotency-Key.
 */
export class AtRevision<Body> {
  constructor(
    readonly body: Body,
    readonly revision: bigint,
    readonly replayed = false,
  ) {}
}

/** Where every ETag is written: handlers answer {@link AtRevision}, this sends it. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!(answer instanceof AtRevision)) return answer;
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        reply.header('etag', `"${answer.revision}"`);
        if (answer.replayed) reply.header('idempotent-replayed', 'true');
        return answer.body as unknown;
      }),
    );
  }
}
