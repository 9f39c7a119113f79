import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The service as a real process (`src/main.ts`), the way the start command
 * runs it, for the e2e tests that stop or kill it: on a free loopback port,
 * on the embedded store in the given folder.
 */

const ROOT = join(__dirname, '../..');
/** Lines of output kept per process, to explain a failure (a process under load logs a line a request). */
const KEPT_LINES = 400;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** The last lines of standard output and error, in order of arrival. */
  readonly output: string[];
  readonly exited: Promise<Exit>;
  /** The base URL once the service says where it listens; rejects if it exits first. */
  readonly listening: Promise<string>;
  /** The admin key printed on the first start (no key store yet), once it is out. */
  firstKey(): string | undefined;
  /** Sends the signal (once the process is still running) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface StartOptions {
  /**
   * `ts` runs src/main.ts through the transpile-only loader (no build needed);
   * `dist` runs the build, `node --max-semi-space-size=64 dist/main.js` as `npm start` does (see {@link ensureBuilt}).
   */
  readonly entry?: 'ts' | 'dist';
}

/** Every process started here and not yet exited, so a failing test still stops them. */
const running = new Set<ServiceProcess>();

export function startService(env: Record<string, string>, { entry = 'ts' }: StartOptions = {}): ServiceProcess {
  const args =
    entry === 'dist'
      ? ['--max-semi-space-size=64', join(ROOT, 'dist/main.js')]
      : ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'src/main.ts')];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', EVENTSTORE_CONNECTION_STRING: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let key: string | undefined;
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        if (output.length > KEPT_LINES) output.shift();
        key = /^\s+(chk_\S+)$/.exec(line)?.[1] ?? key;
        const url = /Listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url) resolve(url);
      });
    }
    void exited.then(({ code, signal }) => reject(new Error(`exited (${signal ?? code}) before listening:\n${output.join('\n')}`)));
  });
  // A test that expects the start to fail never awaits `listening`.
  listening.catch(() => undefined);
  const service: ServiceProcess = {
    child,
    output,
    exited,
    listening,
    firstKey: () => key,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(service);
  void exited.then(() => running.delete(service));
  return service;
}

/** Kills (SIGKILL) every service process still running: for `afterAll`, so that no test leaves one behind. */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop('SIGKILL')));
}

/**
 * Builds dist/ (`npm run build`'s compiler run) when it is missing or older
 * than a source file, so that a test of `node dist/main.js` never runs stale code.
 */
export function ensureBuilt(): void {
  const built = join(ROOT, 'dist/main.js');
  const newestSource = Math.max(
    ...[join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json'), ...filesUnder(join(ROOT, 'src'))].map(
      (file) => statSync(file).mtimeMs,
    ),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  // From scratch: the compiler does not delete the output of a source file that is gone.
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}
