import type { FastifyInstance } from 'fastify';

/**
 * ETags are stream revisions, `"3"`: written only by {@link etagOf} (handlers
 * answer {@link AtRevision}, refusals carry `atRevision`), read back from
 * If-Match by {@link revisionOfIfMatch}.
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

/** The ETag of a revision. */
export const etagOf = (revision: bigint) => `"${revision}"`;

/**
 * Sends {@link AtRevision} answers: their body, with the revision as ETag
 * and `Idempotent-Replayed` on a repeated answer. A Fastify hook rather than
 * a Nest interceptor, whose machinery (rxjs, async context binding) costs
 * every request, not only these. The ETag of a refusal is set where problems
 * are answered (problem-details.filter.ts).
 */
export function sendAtRevision(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (_request, reply, payload, done) => {
    if (!(payload instanceof AtRevision)) return done(null, payload);
    reply.header('etag', etagOf(payload.revision));
    if (payload.replayed) reply.header('idempotent-replayed', 'true');
    done(null, payload.body);
  });
}
