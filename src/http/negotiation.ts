import type { FastifyReply } from 'fastify';

/**
 * Whether a read answers in its other form (`media`, e.g. CSV beside JSON):
 * `?format=` says which (`other` names this form), or, with no format, the
 * Accept header asks for `media`. Both forms share one URL (and one ETag):
 * when Accept chose, the answer says so (`Vary: Accept`), so that no cache
 * hands one form to a client that asked for the other.
 */
export function wantsForm(
  reply: FastifyReply,
  { format, accept }: { format: string | undefined; accept: string | undefined },
  other: string,
  media: string,
): boolean {
  if (format !== undefined) return format === other;
  reply.header('vary', 'Accept');
  return accept?.includes(media) === true;
}
