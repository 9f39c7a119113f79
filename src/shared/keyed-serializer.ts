/**
 * Runs tasks that share a key one after another, in the order they were
 * given, and tasks with different keys side by side. A task runs whether the
 * one before it succeeded or failed.
 */
export class KeyedSerializer {
  /** The last task queued per key, settled or not; a key leaves the map when its queue drains. */
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
