import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config';
import { createEventStore } from '../event-store/event-store.module';
import { PROJECTIONS, STREAM_SCHEMAS } from '../catalog';
import { openReadModelDb, ProjectionLedger } from '../projections/read-model-db';
import { describeQuarantine, skipQuarantinedEvent } from '../projections/skip';

const USAGE = `usage: npm run projections:skip -- <projection> <stream> --reason "why" [--by name]
       npm run projections:skip -- --list`;

/**
 * `npm run projections:skip`: lifts a projection's quarantine of a stream by
 * recording, for the audit, that the event it failed on is knowingly skipped,
 * then folds the stream again without it. `--list` shows the quarantines and
 * every skip recorded. Run it with the service stopped, like the rebuild.
 */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { reason: { type: 'string' }, by: { type: 'string' }, list: { type: 'boolean' } },
  });
  const config = loadConfig(process.env);
  const db = openReadModelDb(config.readModelsFile);
  try {
    if (values.list) {
      const ledger = new ProjectionLedger(db);
      for (const { name } of PROJECTIONS) {
        for (const quarantine of ledger.quarantines(name)) process.stdout.write(`quarantined: ${describeQuarantine(name, quarantine)}\n`);
        for (const skip of ledger.skipped(name)) {
          process.stdout.write(
            `skipped: ${name} ${skip.stream} revision ${skip.revision} (position ${skip.position}, ${skip.eventType}) by ${skip.by} at ${skip.at}: ${skip.reason}\n`,
          );
        }
      }
      return;
    }
    const [projection, stream] = positionals;
    if (positionals.length !== 2 || !values.reason?.trim()) throw new Error(USAGE);
    const store = createEventStore(config, STREAM_SCHEMAS);
    try {
      const by = values.by ?? userInfo().username;
      const { skipped, quarantine } = await skipQuarantinedEvent(store, db, PROJECTIONS, { projection, stream, reason: values.reason, by });
      process.stdout.write(
        `Skipped ${skipped.stream} revision ${skipped.revision} (position ${skipped.position}) in ${skipped.projection}, by ${by}; folded the stream again without it.\n`,
      );
      if (quarantine) {
        process.stdout.write(`Quarantined again: ${describeQuarantine(projection, quarantine)}\n`);
        process.exitCode = 2;
      }
    } finally {
      await store.close();
    }
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
