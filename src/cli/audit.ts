import { loadConfig } from '../config/app-config';
import { contractView, handoverView } from '../contracts/read-side/views';
import { loadContract, type HistoryCut } from '../contracts/application/contract-stream';
import { createEventStore } from '../event-store/event-store.module';
import { STREAM_SCHEMAS } from '../catalog';
import type { EventStore } from '../event-store/event-store.port';
import { verifyChain } from '../audit/hash-chain';
import { historyPage, readContractHistory } from '../audit/history';

const USAGE = `Usage: npm run audit -- <command> <contractId> [options]
  history <id>                          every event in order: revision, time, type, actor, effective date
  as-of <id> --at <ISO time>            the contract (and its handover) exactly as it stood then
  as-of <id> --revision <n>             ... or at a stream revision
  verify <id>                           recompute the hash chain: ok, or the first altered event (exit 1)
  export <id>                           the whole history as NDJSON on standard output`;

/** The auditor's command line: the same code paths as the API, readable output. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, contractId, ...options] = argv;
  if (!command || !contractId || !/^[0-9a-f-]{36}$/i.test(contractId)) {
    console.error(USAGE);
    return 2;
  }
  const store = createEventStore(loadConfig(process.env), STREAM_SCHEMAS);
  try {
    switch (command) {
      case 'history':
        return await history(store, contractId);
      case 'as-of':
        return await asOf(store, contractId, options);
      case 'verify':
        return await verify(store, contractId);
      case 'export':
        return await exportHistory(store, contractId);
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await store.close();
  }
}

async function history(store: EventStore, contractId: string): Promise<number> {
  const recorded = await readContractHistory(store, contractId);
  if (!recorded) return unknown(contractId);
  const { events } = historyPage(recorded);
  console.log(`History of contract ${contractId} (${events.length} events)`);
  for (const event of events) {
    const { actor, effectiveOn } = event.metadata;
    console.log(
      [
        `#${event.revision}`.padEnd(5),
        event.recordedAt,
        event.type.padEnd(22),
        `by ${typeof actor === 'string' ? actor : '?'}`,
        typeof effectiveOn === 'string' ? `effective ${effectiveOn}` : '',
      ]
        .join('  ')
        .trimEnd(),
    );
  }
  return 0;
}

async function asOf(store: EventStore, contractId: string, options: readonly string[]): Promise<number> {
  const at = optionValue(options, '--at');
  const revision = optionValue(options, '--revision');
  if (
    (at === undefined) === (revision === undefined) ||
    (at !== undefined && Number.isNaN(Date.parse(at))) ||
    (revision !== undefined && !/^\d+$/.test(revision))
  ) {
    console.error(USAGE);
    return 2;
  }
  const cut: HistoryCut = at !== undefined ? { asOf: new Date(at) } : { revision: BigInt(revision!) };
  const { state, revision: reached, malformed } = await loadContract(store, contractId, cut);
  if (malformed) {
    console.error(`${malformed.message}. Run verify, or export the history, to read it as stored.`);
    return 1;
  }
  if (state.status === 'none') return unknown(contractId, at ? `at ${at}` : `at revision ${revision}`);
  console.log(`Contract ${contractId} as of ${at ?? `revision ${revision}`} (revision ${reached}):`);
  // The command line reads the store itself, as an auditor does: the whole checklist, the settlement's figures included.
  console.log(JSON.stringify({ contract: contractView(state), handover: handoverView(state, { ledger: true }) ?? null }, null, 2));
  return 0;
}

async function verify(store: EventStore, contractId: string): Promise<number> {
  const recorded = await readContractHistory(store, contractId);
  if (!recorded) return unknown(contractId);
  const verdict = verifyChain(recorded);
  if (verdict.ok) {
    console.log(
      `OK: the hash chain of ${verdict.events} events is intact; head revision ${verdict.head?.revision}, hash ${verdict.head?.hash}`,
    );
    return 0;
  }
  const { revision, eventId, reason } = verdict.brokenAt;
  console.log(`BROKEN at revision ${revision} (event ${eventId}): ${reason}. ${verdict.events} events before it verify.`);
  return 1;
}

async function exportHistory(store: EventStore, contractId: string): Promise<number> {
  const recorded = await readContractHistory(store, contractId);
  if (!recorded) return unknown(contractId);
  for (const event of historyPage(recorded).events) process.stdout.write(`${JSON.stringify(event)}\n`);
  return 0;
}

function optionValue(options: readonly string[], name: string): string | undefined {
  const index = options.indexOf(name);
  return index >= 0 ? options[index + 1] : undefined;
}

function unknown(contractId: string, when = ''): number {
  console.error(`No contract ${contractId}${when ? ` ${when}` : ''}.`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
