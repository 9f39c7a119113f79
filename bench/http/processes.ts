import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Child processes for `npm run bench:http`. Output is read only until the
 * process says where it listens (and, on a first start, prints its admin
 * key); after that it is drained unparsed, so that the bench process, which
 * also runs the load generator, spends no CPU splitting a log line per request.
 */
export interface Started {
  readonly url: string;
  readonly firstKey: string | undefined;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

// A bench that throws or is interrupted must not leave a server behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

export async function startProcess(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not listening after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const found = /Listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (!found) return;
      clearTimeout(timer);
      resolve(found);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() =>
      reject(new Error(`${args.join(' ')} exited (${child.signalCode ?? child.exitCode}) before listening:\n${output}`)),
    );
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  for (const stream of [child.stdout, child.stderr]) stream.removeAllListeners('data').resume();
  return { url, firstKey: /^\s+(chk_\S+)$/m.exec(output)?.[1], stop };
}
