import { ValidationPipe, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';

export interface AppOptions {
  /** Nest's log levels; `false` silences it (tests). */
  readonly logger?: LogLevel[] | false;
}

/** Builds the application exactly as it runs in production; main.ts and the e2e tests both use it. */
export async function createApp(
  config: AppConfig,
  { logger = ['error', 'warn', 'log'] }: AppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    logger,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  return app;
}
