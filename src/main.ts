import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { describeEventStore, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  // Our own signal handling rather than Nest's shutdown hooks, which re-raise
  // the signal after closing: a clean stop should exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      Logger.log(`${signal} received: closing`, 'Main');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.port, config.host);
  Logger.log(`Listening on ${await app.getUrl()} with the ${describeEventStore(config)}`, 'Main');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
