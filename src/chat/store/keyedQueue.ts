// Runs tasks one at a time per key (one conversation's writes never interleave), different keys in parallel.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
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

  /** Resolves when everything queued so far (for `key`, or for all keys) has finished. */
  async idle(key?: string): Promise<void> {
    if (key !== undefined) {
      await this.tails.get(key);
      return;
    }
    await Promise.all([...this.tails.values()]);
  }
}
