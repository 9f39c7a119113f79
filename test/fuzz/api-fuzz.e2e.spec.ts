import { failureClasses, formatFailure, formatReport, runFuzz } from './run';

/**
 * The CI slice of `npm run fuzz`: the same campaign on a fixed seed and a
 * small budget (every write route of /docs-json, mutated, on real targets),
 * held to the same oracle: no 5xx, no planted secret accepted, every accepted
 * write readable after it, ready at the end, every hash chain intact.
 */
describe('the API under fuzzing (seeded slice of npm run fuzz)', () => {
  it('answers every hostile request without a 5xx, accepts no secret, and stays ready and intact', async () => {
    const report = await runFuzz({ seed: 20261127, perWriteRoute: 80, perReadRoute: 30, refreshEvery: 40 });
    // The table goes to the log either way; a failure lists one reproducer per class.
    process.stdout.write(`${formatReport(report)}\n`);
    expect(failureClasses(report.failures).map(({ key, count, example }) => `[${count}x] ${key}\n${formatFailure(example)}`)).toEqual([]);
    expect(report.requests).toBeGreaterThan(1000);
  }, 180_000);
});
