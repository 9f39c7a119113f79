import { existsSync, rmSync } from 'node:fs';
import { formatPosition, type EventStore, type Position } from '../event-store/event-store.port';
import { BatchApplier } from './batch-applier';
import type { Projection } from './projection';
import { adoptVersion, openReadModelDb, ProjectionLedger, type Quarantine } from './read-model-db';

/** Events applied per transaction while rebuilding. */
const BATCH = 2_000;

export interface RebuildProgress {
  readonly events: number;
  readonly position: Position | undefined;
  /** Where the log ended when the rebuild started: the progress bar's 100%. */
  readonly head: Position | undefined;
  readonly elapsedMs: number;
}

export interface RebuildOutcome extends RebuildProgress {
  /** The streams that still fail, per projection, recorded as quarantined in the new file. */
  readonly quarantined: readonly { readonly projection: string; readonly quarantine: Quarantine }[];
}

/**
 * Rebuilds every read model from the start of the log into a fresh database
 * file, through the same projections and the same guard the live runner uses,
 * in large transactions. The caller swaps the file in. The events an operator
 * skipped in `previous` (the file it replaces) stay skipped, and their audit
 * records are carried over; quarantines are not: a stream that applies now is
 * whole again, one that still fails is quarantined anew.
 */
export async function rebuildReadModels(
  store: EventStore,
  file: string,
  projections: readonly Projection[],
  { previous, onProgress = () => undefined }: { previous?: string; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildOutcome> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = openReadModelDb(file);
  // A rebuild that fails leaves a file nobody opens: until it is complete, nothing of it needs to survive a
  // crash, and its rollbacks (a quarantine, a batch applied again) need no journal on disk.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  for (const projection of projections) adoptVersion(db, projection);
  const ledger = new ProjectionLedger(db);
  const started = Date.now();
  try {
    if (previous && existsSync(previous)) {
      const old = openReadModelDb(previous);
      try {
        for (const { name } of projections) for (const skip of new ProjectionLedger(old).skipped(name)) ledger.recordSkip(skip);
      } finally {
        old.close();
      }
    }
    const head = await store.headPosition();
    const applier = new BatchApplier(
      db,
      projections.map((projection) => ({ projection, position: undefined })),
      ledger,
    );
    let position: Position | undefined;
    let events = 0;
    for (;;) {
      const page = await store.readAll({ after: position, maxCount: BATCH });
      if (page.length === 0) break;
      for (const { stopped } of applier.apply(page)) if (stopped) throw stopped.error;
      position = page[page.length - 1].position;
      events += page.length;
      onProgress({ events, position, head, elapsedMs: Date.now() - started });
      if (page.length < BATCH) break;
    }
    const quarantined = projections.flatMap(({ name }) => ledger.quarantines(name).map((quarantine) => ({ projection: name, quarantine })));
    // Complete: back to WAL like every read-model file, a change this commit makes durable with everything before it.
    db.pragma('synchronous = FULL');
    db.pragma('journal_mode = WAL');
    return { events, position, head, elapsedMs: Date.now() - started, quarantined };
  } finally {
    db.close();
  }
}

/** One line of progress: a bar by position towards the head, events and events per second. */
export function progressLine({ events, position, head, elapsedMs }: RebuildProgress, width = 30): string {
  const fraction = head && position && head.commit > 0n ? Math.min(1, Number(position.commit) / Number(head.commit)) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : events;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${events} events, ${rate} events/s, at ${position ? formatPosition(position) : 'start'}`;
}
