import { renameSync, rmSync } from 'node:fs';
import { describeEventStore, loadConfig } from '../config/app-config';
import { createEventStore } from '../event-store/event-store.module';
import { PROJECTIONS, STREAM_SCHEMAS } from '../catalog';
import { progressLine, rebuildReadModels } from '../projections/rebuild';
import { describeQuarantine } from '../projections/skip';

/**
 * `npm run projections:rebuild`: rebuilds every read model from the start of
 * the log into a fresh file, then swaps it in. Run it with the service
 * stopped: a running service keeps the file it opened.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const store = createEventStore(config, STREAM_SCHEMAS);
  const fresh = `${config.readModelsFile}.rebuild`;
  try {
    process.stderr.write(`Rebuilding read models from the ${describeEventStore(config)}\n`);
    const done = await rebuildReadModels(store, fresh, PROJECTIONS, {
      previous: config.readModelsFile,
      onProgress: (progress) => process.stderr.write(`\r${progressLine(progress)}`),
    });
    for (const suffix of ['-wal', '-shm']) rmSync(`${config.readModelsFile}${suffix}`, { force: true });
    renameSync(fresh, config.readModelsFile);
    process.stderr.write(`\r${progressLine(done)}\n`);
    process.stdout.write(
      `Rebuilt ${PROJECTIONS.map((projection) => projection.name).join(', ')} from ${done.events} events in ${done.elapsedMs} ms into ${config.readModelsFile}\n`,
    );
    for (const { projection, quarantine } of done.quarantined)
      process.stdout.write(`Still quarantined: ${describeQuarantine(projection, quarantine)}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
