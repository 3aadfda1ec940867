// Speed of the answer being written, counted from the deltas as they arrive: one token per delta, the
// convention the providers' own AnswerMeter falls back to, so the live figure and the final one agree.

export class LiveSpeed {
  private messageId: string | undefined;
  private tokens = 0;
  private firstAt = 0;
  private lastAt = 0;

  constructor(private readonly now: () => number) {}

  start(messageId: string): void {
    this.messageId = messageId;
    this.tokens = 0;
  }

  /** Counts a delta of the streaming answer; false for any other message (nothing to redraw). */
  delta(messageId: string): boolean {
    if (messageId !== this.messageId) return false;
    const t = this.now();
    if (this.tokens === 0) this.firstAt = t;
    this.lastAt = t;
    this.tokens += 1;
    return true;
  }

  stop(messageId?: string): void {
    if (messageId === undefined || messageId === this.messageId) this.messageId = undefined;
  }

  /** "12 tokens · 34.5 tok/s"; the rate starts with the first token, as the final stats do. */
  text(): string | undefined {
    if (this.messageId === undefined || this.tokens === 0) return undefined;
    const seconds = (this.lastAt - this.firstAt) / 1000;
    const count = `${this.tokens} ${this.tokens === 1 ? 'token' : 'tokens'}`;
    return seconds > 0 && this.tokens > 1 ? `${count} · ${((this.tokens - 1) / seconds).toFixed(1)} tok/s` : count;
  }
}
