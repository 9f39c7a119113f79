import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, map, throwError, type Observable } from 'rxjs';
import { Refusal } from '../shared/errors';

/**
 * ETags are stream revisions, `"3"`: written here only (handlers answer
 * {@link AtRevision}), read back from If-Match by {@link revisionOfIfMatch}.
 */

/** What an ETag looks like, as the OpenAPI document says it. */
export const ETAG_PATTERN = '^"\\d+"$';
/** What If-Match takes: an ETag, weak or bare forms too. */
export const IF_MATCH_PATTERN = '^(W/)?"?\\d{1,18}"?$';

/**
 * An answer showing something at a revision: sent as `body`, with the
 * revision as its ETag, and `Idempotent-Replayed` when it repeats the first
 * answer to an Idempotency-Key.
 */
export class AtRevision<Body> {
  constructor(
    readonly body: Body,
    readonly revision: bigint,
    readonly replayed = false,
  ) {}
}

/** The revision an If-Match value names, or undefined when it is not an ETag of ours. */
export function revisionOfIfMatch(value: string): bigint | undefined {
  const digits = new RegExp(IF_MATCH_PATTERN).test(value) ? /\d+/.exec(value)?.[0] : undefined;
  return digits === undefined ? undefined : BigInt(digits);
}

/** Sends {@link AtRevision} answers, and the ETag of a refusal that says at which revision it was refused. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = () => context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!(answer instanceof AtRevision)) return answer;
        reply().header('etag', etagOf(answer.revision));
        if (answer.replayed) reply().header('idempotent-replayed', 'true');
        return answer.body as unknown;
      }),
      catchError((error: unknown) => {
        if (error instanceof Refusal && error.atRevision !== undefined) reply().header('etag', etagOf(error.atRevision));
        return throwError(() => error);
      }),
    );
  }
}

const etagOf = (revision: bigint) => `"${revision}"`;
