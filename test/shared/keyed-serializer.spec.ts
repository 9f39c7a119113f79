import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerializer } from '../../src/shared/keyed-serializer';

describe('KeyedSerializer', () => {
  it('runs tasks of one key one after another, in order, and tasks of other keys alongside', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([serializer.run('a', task('a1', 30)), serializer.run('a', task('a2', 1)), serializer.run('b', task('b1', 5))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs the next task of a key after one that failed, and passes each its own outcome', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('a', () => Promise.reject(new Error('boom')));
    const next = serializer.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
