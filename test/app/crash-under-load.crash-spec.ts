import { crashUnderLoadSuite } from './crash-under-load.suite';

/**
 * The long run, `npm run test:crash` (not in `npm test`): 24 kills on one data
 * folder (or CRASH_ROUNDS), with more writers and longer bursts than the quick one.
 */
const rounds = process.env.CRASH_ROUNDS ?? '24';
if (!/^[1-9]\d{0,3}$/.test(rounds)) throw new Error(`CRASH_ROUNDS must be a whole number of rounds, not ${rounds}`);

crashUnderLoadSuite({ rounds: Number(rounds), writers: 32, maxKillDelayMs: 2500 });
