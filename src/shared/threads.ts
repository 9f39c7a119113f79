import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the module `name` beside `caller` (pass `__filename`) in a thread:
 * the compiled .js when the caller runs compiled; run from TypeScript
 * sources (the tests), its .ts twin, loaded through the tests' own
 * transpiling hook.
 */
export function startThread(caller: string, name: string, workerData: unknown): Worker {
  const entry = join(caller, '..', `${name}${extname(caller)}`);
  if (extname(caller) !== '.ts') return new Worker(entry, { workerData });
  const transpiling = join(__dirname, '../../test/support/register-ts.js');
  return new Worker(`require(${JSON.stringify(transpiling)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
