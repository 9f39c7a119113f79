import { ValidationPipe, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { invalidRequest } from './http/problem-details';
import { ProblemDetailsFilter } from './http/problem-details.filter';

export interface AppOptions {
  /** Nest's log levels; `false` silences it (tests). */
  readonly logger?: LogLevel[] | false;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the application exactly as it runs in production; main.ts and the e2e tests both use it. */
export async function createApp(
  config: AppConfig,
  { logger = ['error', 'warn', 'log'] }: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // The request id is the correlation id of every event the request causes:
    // the client's X-Request-Id when it is sane, a fresh UUID otherwise.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  // The API speaks JSON only: other bodies get 415 rather than a confusing validation answer.
  adapter.getInstance().removeContentTypeParser('text/plain');
  adapter.getInstance().addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: invalidRequest,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  return app;
}
