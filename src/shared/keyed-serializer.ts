/** More tasks are waiting for one key than the serializer holds. */
export class QueueFullError extends Error {
  constructor(
    readonly key: string,
    readonly limit: number,
  ) {
    super(`${limit} tasks are already queued for ${key}`);
    this.name = 'QueueFullError';
  }
}

/**
 * Runs tasks that share a key one after another, in the order they were
 * given, and tasks with different keys side by side. A task runs whether the
 * one before it succeeded or failed. At most `limit` tasks wait per key: one
 * more is refused at once rather than held in memory without bound.
 */
export class KeyedSerializer {
  /** Per key: the last task queued (settled or not) and how many are queued or running; a key leaves when its queue drains. */
  private readonly queues = new Map<string, { tail: Promise<unknown>; size: number }>();

  constructor(private readonly limit: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (queue.size >= this.limit) return Promise.reject(new QueueFullError(key, this.limit));
    const result = queue.tail.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, { tail, size: queue.size + 1 });
    void tail.then(() => {
      const now = this.queues.get(key);
      if (!now) return;
      if (now.size === 1) this.queues.delete(key);
      else this.queues.set(key, { ...now, size: now.size - 1 });
    });
    return result;
  }
}
