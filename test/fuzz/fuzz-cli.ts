import { formatReport, runFuzz } from './run';

/**
 * `npm run fuzz [-- --seed N --per-route 2000 --per-read-route 500 --trace /amendments]`: the full
 * campaign, a plain script rather than a jest run because it takes minutes,
 * prints its own table and must exit non-zero on a failure (jest's timeouts
 * and captured output get in the way). The CI slice runs the same campaign
 * from test/fuzz/api-fuzz.e2e.spec.ts on a fixed seed and a small budget.
 */
function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

async function main(): Promise<void> {
  const seed = option('seed', Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31)));
  const perWriteRoute = option('per-route', 2000);
  process.stdout.write(`fuzz seed ${seed} (replay: npm run fuzz -- --seed ${seed}), ${perWriteRoute} requests per write route\n`);
  const report = await runFuzz({
    seed,
    perWriteRoute,
    perReadRoute: option('per-read-route', Math.ceil(perWriteRoute / 4)),
    refreshEvery: option('refresh-every', 50),
    progress: (line) => process.stdout.write(`  ${line}\n`),
    ...(process.argv.includes('--trace') ? { trace: process.argv[process.argv.indexOf('--trace') + 1] ?? '' } : {}),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
