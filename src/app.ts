import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { auditOpenApi } from './audit/http/openapi';
import { keysOpenApi } from './auth/http/openapi';
import { contractsOpenApi } from './contracts/http/openapi';
import { ledgerOpenApi } from './contracts/http/ledger-openapi';
import { dutiesOpenApi } from './contracts/http/duties-openapi';
import { deadlinesOpenApi } from './contracts/http/deadlines-openapi';
import { healthOpenApi } from './health/openapi';
import type { IssuedKey } from './auth/api-keys';
import type { AnnounceFirstKey } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { isSafeToken } from './http/headers';
import { NoSecretsPipe } from './http/no-secrets.pipe';
import { DtoValidationPipe } from './http/validation.pipe';
import { sendAtRevision } from './http/etag';
import { buildOpenApiDocument, serveOpenApi } from './http/openapi';
import { serveDesk } from './http/desk';
import { useSafeJsonParser } from './http/json-body';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { logRequests, standardOutput } from './logging/json-logs';
import { systemClock, type Clock } from './shared/clock';

export interface AppOptions {
  /** Where the JSON log lines go (standard output by default; tests capture them). */
  readonly logDestination?: DestinationStream;
  /** Shows the admin key issued on first start, once (standard output by default). */
  readonly announceFirstKey?: AnnounceFirstKey;
  /** The time (the system's by default; tests move a clock of their own). */
  readonly clock?: Clock;
}

/** Headers every answer carries: no sniffing, no framing, no referrer, no caching of API data. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

function printFirstKey({ key, keyId }: IssuedKey): void {
  process.stdout.write(
    `\nFirst start: created the admin API key ${keyId}. It is shown this once; keep it now:\n\n    ${key}\n\n` +
      'Use it as "Authorization: Bearer <key>" (see README, "Keys and roles").\n\n',
  );
}

/** Builds the application exactly as it runs in production; main.ts and the e2e tests both use it. */
export async function createApp(
  config: AppConfig,
  { logDestination = standardOutput(), announceFirstKey = printFirstKey, clock = systemClock }: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // The request id is the correlation id of every event the request causes
    // and is in every log line: the client's X-Request-Id when it is a plain
    // token that does not look like a secret, a fresh UUID otherwise (a
    // tracing header never fails a request).
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && isSafeToken(given) ? given : randomUUID();
    },
  });
  // The API speaks JSON only: other bodies get 415 rather than a confusing validation answer.
  adapter.getInstance().removeContentTypeParser('text/plain');
  useSafeJsonParser(adapter.getInstance());
  logRequests(adapter.getInstance(), config, logDestination);
  sendAtRevision(adapter.getInstance());
  // Set as the request comes in, so that a route may set a policy of its own over them (the API docs page
  // loads its scripts); a callback rather than an async function: no promise to settle for each request.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, announceFirstKey, logDestination, clock),
    adapter,
    {
      bufferLogs: true,
      // Nest's own body parsers would replace the JSON parser above (and add a form parser the API does not speak).
      bodyParser: false,
      // Closed unless configured: browsers may call from the listed origins only.
      cors:
        config.corsOrigins.length > 0
          ? {
              origin: [...config.corsOrigins],
              allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id'],
              exposedHeaders: ['etag', 'x-request-id'],
            }
          : false,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new NoSecretsPipe(), new DtoValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  serveOpenApi(
    app,
    buildOpenApiDocument(app, [contractsOpenApi, dutiesOpenApi, ledgerOpenApi, deadlinesOpenApi, auditOpenApi, keysOpenApi, healthOpenApi]),
  );
  serveDesk(app);
  return app;
}
