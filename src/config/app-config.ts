import { isAbsolute, join, resolve } from 'node:path';
import { isTimeZone } from '../shared/clock';

/**
 * The service's settings, parsed and validated once at boot from the
 * environment. Nothing else reads `process.env`.
 */
export interface AppConfig {
  /** HTTP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on: loopback unless told otherwise. */
  readonly host: string;
  /** Folder of the embedded store (created if missing). */
  readonly dataDir: string;
  /** The read models' own SQLite file (each instance keeps its copy, whatever the event store). */
  readonly readModelsFile: string;
  /** How long a read that names a position waits for the read models to reach it. */
  readonly projectionWaitMs: number;
  /** Requests a minute one API key may make. */
  readonly rateLimitPerMinute: number;
  /** Failed authentications a minute one client address may make before it is refused outright. */
  readonly authFailuresPerMinute: number;
  /** Largest request body accepted, in bytes (413 above). */
  readonly bodyLimitBytes: number;
  /** Origins browsers may call the API from; none unless configured. */
  readonly corsOrigins: readonly string[];
  /** Least severe log level written. */
  readonly logLevel: LogLevel;
  /** The business's time zone (IANA): the calendar dates of terms and deadlines are its dates. */
  readonly timeZone: string;
  /** How often the service looks for contracts whose term has ended, to record their expiry. */
  readonly expiryCheckIntervalMs: number;
  /** Which event store the service runs on. */
  readonly eventStore:
    { readonly kind: 'embedded'; readonly file: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };
}

export class ConfigError extends Error {
  constructor(setting: string, value: string, allowed: string) {
    super(`Invalid ${setting}="${value}": ${allowed}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Environment, cwd = process.cwd()): AppConfig {
  const dataDir = resolveFolder(env.DATA_DIR ?? 'data', cwd);
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim();
  return {
    port: parsePort(env.PORT ?? '3000'),
    host: parseHost(env.HOST ?? '127.0.0.1'),
    dataDir,
    readModelsFile: join(dataDir, 'read-models.sqlite'),
    projectionWaitMs: parseWhole('PROJECTION_WAIT_MS', env.PROJECTION_WAIT_MS ?? '5000', 1, 60_000, 'milliseconds'),
    rateLimitPerMinute: parseWhole('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE ?? '600', 1, 1_000_000, 'requests'),
    authFailuresPerMinute: parseWhole('AUTH_FAILURES_PER_MINUTE', env.AUTH_FAILURES_PER_MINUTE ?? '20', 1, 10_000, 'failures'),
    bodyLimitBytes: parseWhole('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES ?? '65536', 1024, 10_485_760, 'bytes'),
    corsOrigins: parseOrigins(env.CORS_ORIGINS ?? ''),
    logLevel: parseLogLevel(env.LOG_LEVEL ?? 'info'),
    timeZone: parseTimeZone(env.BUSINESS_TIME_ZONE ?? 'Asia/Shanghai'),
    expiryCheckIntervalMs: parseWhole(
      'EXPIRY_CHECK_INTERVAL_MS',
      env.EXPIRY_CHECK_INTERVAL_MS ?? '60000',
      1000,
      86_400_000,
      'milliseconds',
    ),
    eventStore: connectionString
      ? { kind: 'eventstoredb', connectionString: parseConnectionString(connectionString) }
      : { kind: 'embedded', file: join(dataDir, 'events.sqlite') },
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new ConfigError('PORT', value, 'a whole number from 0 to 65535');
  }
  return port;
}

function parseWhole(setting: string, value: string, min: number, max: number, unit: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new ConfigError(setting, value, `${unit} from ${min} to ${max}`);
  }
  return number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (!level) throw new ConfigError('LOG_LEVEL', value, `one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function parseTimeZone(value: string): string {
  if (!isTimeZone(value)) throw new ConfigError('BUSINESS_TIME_ZONE', value, 'an IANA time zone such as Asia/Shanghai');
  return value;
}

function parseOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[\w.-]+(:\d+)?$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', value, 'comma-separated origins such as https://console.example.com');
    }
  }
  return origins;
}

function parseHost(value: string): string {
  if (!/^[\w.:-]+$/.test(value)) throw new ConfigError('HOST', value, 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0');
  return value;
}

function resolveFolder(value: string, cwd: string): string {
  if (value.trim() === '') throw new ConfigError('DATA_DIR', value, 'a folder path');
  return isAbsolute(value) ? value : resolve(cwd, value);
}

function parseConnectionString(value: string): string {
  if (!/^esdb(\+discover)?:\/\/[^\s]+$/.test(value)) {
    throw new ConfigError(
      'EVENTSTORE_CONNECTION_STRING',
      value,
      'an EventStoreDB connection string such as esdb://localhost:2113?tls=false or esdb+discover://node1:2113,node2:2113',
    );
  }
  return value;
}

/** Where the service keeps its events, for logs and health: never prints credentials. */
export function describeEventStore(config: AppConfig): string {
  if (config.eventStore.kind === 'embedded') return `embedded store at ${config.eventStore.file}`;
  return `EventStoreDB at ${config.eventStore.connectionString.replace(/\/\/[^@/]*@/, '//***@')}`;
}
