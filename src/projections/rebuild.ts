import { rmSync } from 'node:fs';
import { formatPosition, type EventStore, type Position } from '../event-store/event-store.port';
import type { Projection } from './projection';
import { checkpointWriter, openReadModelDb } from './read-model-db';

/** Events applied per transaction while rebuilding. */
const BATCH = 2_000;

export interface RebuildProgress {
  readonly events: number;
  readonly position: Position | undefined;
  /** Where the log ended when the rebuild started: the progress bar's 100%. */
  readonly head: Position | undefined;
  readonly elapsedMs: number;
}

/**
 * Rebuilds every read model from the start of the log into a fresh database
 * file, through the same projections the live runner uses, in large
 * transactions. The caller swaps the file in.
 */
export async function rebuildReadModels(
  store: EventStore,
  file: string,
  projections: readonly Projection[],
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<RebuildProgress> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = openReadModelDb(file);
  const started = Date.now();
  try {
    const head = await store.headPosition();
    const appliers = projections.map((projection) => ({ name: projection.name, apply: projection.install(db) }));
    const saveCheckpoint = checkpointWriter(db);
    let position: Position | undefined;
    let events = 0;
    for (;;) {
      const page = await store.readAll({ after: position, maxCount: BATCH });
      if (page.length === 0) break;
      db.transaction(() => {
        for (const event of page) for (const { apply } of appliers) apply(event);
        for (const { name } of appliers) saveCheckpoint(name, page[page.length - 1].position);
      })();
      position = page[page.length - 1].position;
      events += page.length;
      onProgress({ events, position, head, elapsedMs: Date.now() - started });
      if (page.length < BATCH) break;
    }
    return { events, position, head, elapsedMs: Date.now() - started };
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
