import { describeEventStore, loadConfig } from '../../src/config/app-config';

describe('configuration', () => {
  it('defaults to the embedded store in ./data on port 3000, on loopback', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/data',
      readModelsFile: '/srv/app/data/read-models.sqlite',
      projectionWaitMs: 5000,
      rateLimitPerMinute: 600,
      authFailuresPerMinute: 20,
      bodyLimitBytes: 65536,
      corsOrigins: [],
      logLevel: 'info',
      timeZone: 'Asia/Shanghai',
      expiryCheckIntervalMs: 60000,
      eventStore: { kind: 'embedded', file: '/srv/app/data/events.sqlite' },
    });
  });

  it('switches to EventStoreDB by the connection string alone', () => {
    const config = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
    expect(config.eventStore).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' });
  });

  it('accepts a cluster connection string and never shows its credentials', () => {
    const config = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb+discover://admin:changeit@node1:2113,node2:2113' });
    expect(describeEventStore(config)).toBe('EventStoreDB at esdb+discover://***@node1:2113,node2:2113');
  });

  it.each([
    [{ PORT: '70000' }, 'Invalid PORT="70000": a whole number from 0 to 65535'],
    [{ PORT: '-1' }, 'Invalid PORT="-1"'],
    [{ PROJECTION_WAIT_MS: '0' }, 'Invalid PROJECTION_WAIT_MS="0": milliseconds from 1 to 60000'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid LOG_LEVEL="loud": one of fatal, error, warn, info, debug, trace, silent'],
    [{ CORS_ORIGINS: '*' }, 'Invalid CORS_ORIGINS="*"'],
    [{ BODY_LIMIT_BYTES: '10' }, 'Invalid BODY_LIMIT_BYTES="10": bytes from 1024 to 10485760'],
    [{ HOST: 'two words' }, 'Invalid HOST="two words"'],
    [{ BUSINESS_TIME_ZONE: 'Mars/Olympus' }, 'Invalid BUSINESS_TIME_ZONE="Mars/Olympus": an IANA time zone such as Asia/Shanghai'],
    [{ EXPIRY_CHECK_INTERVAL_MS: '999' }, 'Invalid EXPIRY_CHECK_INTERVAL_MS="999": milliseconds from 1000 to 86400000'],
    [{ DATA_DIR: ' ' }, 'Invalid DATA_DIR=" "'],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, 'Invalid EVENTSTORE_CONNECTION_STRING="http://localhost:2113"'],
  ])('refuses %j with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
