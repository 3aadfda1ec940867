// A push-to-pull bridge: JSON-RPC notifications are pushed in as they arrive, the provider's
// async generator pulls them out in order.

export class EventQueue<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /** Wakes a pending `next()` without an item (e.g. the request ended). */
  wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** Items available now, removing them. */
  drain(): T[] {
    return this.items.splice(0, this.items.length);
  }

  /** Resolves when an item arrives or `wake()` is called. */
  whenReady(): Promise<void> {
    if (this.items.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => (this.waiting = resolve));
  }
}
