import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { looksLikeSecret } from '../shared/secrets';

/** What the guard leaves on the raw request for the request log. */
type LoggedRequest = IncomingMessage & { principal?: { keyId: string; role: string } };

/**
 * The path without its query string (a query can carry anything, so it is
 * never logged), and not even the path when it looks like it holds a secret:
 * ids in a path are the client's to choose, and a credential pasted there
 * (even across segments, like a URL with user info) must not reach a log line.
 */
function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return looksLikeSecret(path) ? '[redacted: the path looks like it holds a secret]' : path;
}

const principalOf = (request: LoggedRequest) => (request.principal ? `${request.principal.role}:${request.principal.keyId}` : null);

/**
 * Structured JSON logs (pino through nestjs-pino): one line per request with
 * its id (the correlation id of the events it records), the principal's key
 * id, method, route, status and duration. Headers, bodies and query strings
 * are never logged, so no key, authorization header or evidence can leak.
 */
export function loggingModule(config: AppConfig, destination: DestinationStream) {
  return LoggerModule.forRoot({
    pinoHttp: [
      {
        level: config.logLevel,
        // Fastify's request id (the client's X-Request-Id or a UUID), which the raw request carries too.
        genReqId: (request: IncomingMessage) => request.id ?? '-',
        // Called when the request starts (no principal yet) and when it ends.
        customProps: (request: IncomingMessage) => {
          const principal = principalOf(request);
          return principal ? { principal } : {};
        },
        serializers: {
          req: (request: LoggedRequest) => ({ id: request.id, method: request.method, route: pathOf(request.url) }),
          res: (response: ServerResponse) => ({ status: response.statusCode }),
          err: (error: Error) => ({ type: error.name, message: error.message }),
        },
        customSuccessMessage: (request: LoggedRequest, response: ServerResponse, ms: number) =>
          `${request.method} ${pathOf(request.url)} ${response.statusCode} ${Math.round(ms)} ms`,
        customErrorMessage: (request: LoggedRequest, response: ServerResponse) =>
          `${request.method} ${pathOf(request.url)} ${response.statusCode} failed`,
        customAttributeKeys: { responseTime: 'durationMs' },
        quietReqLogger: true,
      },
      destination,
    ],
  });
}
