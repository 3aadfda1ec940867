// Coalesces the saves of a streaming answer: at most one write per conversation per interval, always of the
// latest state. The first save of a burst goes out at once, so a crash loses at most one interval of text.
import type { Conversation } from '../../protocol/chat';

interface Pending {
  conversation: Conversation;
  timer: NodeJS.Timeout;
}

export class SaveThrottle {
  private readonly pending = new Map<string, Pending>();
  private readonly lastWriteAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly write: (conversation: Conversation) => Promise<void>,
    /** Failures of timer-driven saves, which have no caller to reject. */
    private readonly onError: (id: string, err: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  schedule(conversation: Conversation): void {
    const existing = this.pending.get(conversation.id);
    if (existing) {
      existing.conversation = conversation;
      return;
    }
    const last = this.lastWriteAt.get(conversation.id);
    const wait = last === undefined ? 0 : Math.max(0, last + this.intervalMs - this.now());
    const id = conversation.id;
    const timer = setTimeout(() => this.fire(id).catch((err: unknown) => this.onError(id, err)), wait);
    this.pending.set(id, { conversation, timer });
  }

  /** Records a write made outside the throttle (an explicit save), which restarts the interval. */
  noteWrite(id: string): void {
    this.lastWriteAt.set(id, this.now());
  }

  /** Drops the scheduled save of `id` and returns its snapshot, if any. */
  take(id: string): Conversation | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    return entry.conversation;
  }

  /** Writes every scheduled save now; resolves when they are written (rejects if one fails). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.fire(id)));
  }

  private fire(id: string): Promise<void> {
    const conversation = this.take(id);
    if (!conversation) return Promise.resolve();
    this.noteWrite(id);
    return this.write(conversation);
  }
}
