import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { logOptions } from './json-logs';

/**
 * Nest's own log lines (start, stop, errors) as JSON, through nestjs-pino.
 * Its request middleware is left out (`forRoutes: []`): requests are logged
 * by a Fastify hook (`logRequests`), which costs a fraction of pino-http run
 * through @fastify/middie with a child logger per request.
 */
export function loggingModule(config: AppConfig, destination: DestinationStream) {
  return LoggerModule.forRoot({ pinoHttp: [logOptions(config), destination], forRoutes: [] });
}
