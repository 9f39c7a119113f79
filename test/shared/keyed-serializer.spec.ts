import { KeyedSerializer, QueueFullError } from '../../src/shared/keyed-serializer';

/** A task that runs until the test lets it finish. */
function heldTask(log: string[], name: string) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return {
    finish: () => finish(),
    run: async () => {
      log.push(`start ${name}`);
      await finished;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerializer', () => {
  it('runs tasks of one key one after another, in order, and tasks of other keys alongside', async () => {
    const serializer = new KeyedSerializer(10);
    const log: string[] = [];
    const [a1, a2, b1] = [heldTask(log, 'a1'), heldTask(log, 'a2'), heldTask(log, 'b1')];
    const results = Promise.all([serializer.run('a', a1.run), serializer.run('a', a2.run), serializer.run('b', b1.run)]);
    await settle();
    expect(log).toEqual(['start a1', 'start b1']);
    b1.finish();
    await settle();
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
    a1.finish();
    await settle();
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2']);
    a2.finish();
    expect(await results).toEqual(['a1', 'a2', 'b1']);
  });

  it('runs the next task of a key after one that failed, and passes each its own outcome', async () => {
    const serializer = new KeyedSerializer(10);
    const failed = serializer.run('a', () => Promise.reject(new Error('boom')));
    const next = serializer.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('refuses a task beyond the limit of one key at once, and takes tasks again once the queue drains', async () => {
    const serializer = new KeyedSerializer(2);
    const log: string[] = [];
    const [first, second] = [heldTask(log, 'first'), heldTask(log, 'second')];
    const running = [serializer.run('a', first.run), serializer.run('a', second.run)];
    await expect(serializer.run('a', async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    await expect(serializer.run('b', async () => 'other key')).resolves.toBe('other key');
    first.finish();
    second.finish();
    await Promise.all(running);
    await settle();
    await expect(serializer.run('a', async () => 'after')).resolves.toBe('after');
  });
});
