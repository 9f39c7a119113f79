import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../shared/identity';
import { looksLikeSecret } from '../shared/secrets';

/** What every log line shares: the configured level, and an error as its type and message (never its fields). */
export function logOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    serializers: { err: (error: { name?: string; message: string }) => ({ type: error.name, message: error.message }) },
  };
}

/** How long a line may wait in the buffer of standard output when few are written. */
const FLUSH_EVERY_MS = 100;

/**
 * Standard output, written a few kilobytes at a time rather than with a
 * system call per line, and at least every {@link FLUSH_EVERY_MS}. The writes
 * stay synchronous, so that what is still buffered when the process exits (a
 * stop, a failed start, an uncaught error) is written then, in order; only a
 * SIGKILL loses the last lines.
 */
export function standardOutput(): DestinationStream {
  const output = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: FLUSH_EVERY_MS });
  // flush() rather than flushSync(): on a synchronous destination it writes the buffer before it
  // returns, and gives up on a closed pipe, where flushSync() would retry forever and hang the exit.
  process.once('exit', () => output.flush());
  return output;
}

/** What the guard leaves on the request. */
type LoggedRequest = FastifyRequest & { principal?: Principal };

/**
 * Paths found not to look like a secret: most requests repeat a path, and
 * the check costs more than the rest of the line. Bounded: short paths only,
 * emptied when full.
 */
const safePaths = new Set<string>();
const SAFE_PATHS_KEPT = 10_000;
const SAFE_PATH_LENGTH = 200;

/**
 * The path without its query string (a query can carry anything, so it is
 * never logged), and not even the path when it looks like it holds a secret:
 * ids in a path are the client's to choose, and a credential pasted there
 * (even across segments, like a URL with user info) must not reach a log line.
 */
function pathOf(url: string): string {
  const path = url.split('?')[0];
  if (safePaths.has(path)) return path;
  if (looksLikeSecret(path)) return '[redacted: the path looks like it holds a secret]';
  if (safePaths.size >= SAFE_PATHS_KEPT) safePaths.clear();
  if (path.length <= SAFE_PATH_LENGTH) safePaths.add(path);
  return path;
}

/**
 * One JSON line per request, when its response closes (sent, or the client
 * gone): its id (the correlation id of the events it records), method, path,
 * the principal's key id, status and duration. Headers, bodies and query
 * strings are never logged, so no key, authorization header or evidence can
 * leak. A status of 5xx is logged as failed.
 */
export function logRequests(fastify: FastifyInstance, config: AppConfig, destination: DestinationStream): void {
  const logger = pino(logOptions(config), destination);
  fastify.addHook('onRequest', (request: LoggedRequest, reply, done) => {
    const started = Date.now();
    reply.raw.once('close', () => {
      const { id, method, principal } = request;
      const route = pathOf(request.url);
      const status = reply.raw.statusCode;
      const durationMs = Date.now() - started;
      const failed = status >= 500;
      logger.info(
        {
          reqId: id,
          req: { id, method, route },
          ...(principal ? { principal: `${principal.role}:${principal.keyId}` } : {}),
          res: { status },
          // A message alone: the err serializer finds no name to write as its type.
          ...(failed ? { err: { message: `failed with status code ${status}` } } : {}),
          durationMs,
        },
        failed ? `${method} ${route} ${status} failed` : `${method} ${route} ${status} ${durationMs} ms`,
      );
    });
    done();
  });
}
