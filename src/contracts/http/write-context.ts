import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { CommandContext } from '../application/contract-stream';
import { actorOf, type Principal } from '../../shared/identity';
import { revisionOfIfMatch } from '../../http/etag';
import { invalidHeader, isSafeToken, TOKEN_FORMAT } from '../../http/headers';

/**
 * The context of a write, from the request: the authenticated principal
 * (never a value the client chooses), the request id (correlation),
 * `If-Match` (expected revision) and `Idempotency-Key`.
 */
export const WriteContext = createParamDecorator((_: unknown, host: ExecutionContext): CommandContext => {
  const request = host.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
  const { principal } = request;
  if (!principal) throw new Error('WriteContext on a public route');
  const key = header(request, 'idempotency-key');
  if (key !== undefined && !isSafeToken(key)) throw invalidHeader('Idempotency-Key', TOKEN_FORMAT);
  return {
    principal,
    actor: actorOf(principal),
    correlationId: request.id,
    commandId: randomUUID(),
    receivedAt: new Date().toISOString(),
    ...ifMatch(request),
    ...(key === undefined
      ? {}
      : {
          idempotency: {
            key,
            requestHash: createHash('sha256')
              .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
              .digest('hex'),
          },
        }),
  };
});

function ifMatch(request: FastifyRequest): { ifMatch?: bigint } {
  const value = header(request, 'if-match');
  if (value === undefined) return {};
  const revision = revisionOfIfMatch(value);
  if (revision === undefined) throw invalidHeader('If-Match', 'the ETag of the contract as you read it, e.g. "3"');
  return { ifMatch: revision };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
