// The Compare panel's state: at most one comparison running, and the conversations of the last one
// (for "Continue in chat"). A new run first stops the one before, so two never write at once.
import type { CompareSideInfo, CompareTarget, SideIndex } from '../protocol/compareMessages';
import { runComparison, type CompareDeps, type ComparisonResult } from './compare';

export class CompareSession {
  private abort: AbortController | undefined;
  private done: Promise<unknown> = Promise.resolve();
  /** The last comparison's sides, as its `started` message named them. */
  private sides: readonly CompareSideInfo[] | undefined;

  constructor(private readonly deps: CompareDeps) {}

  get running(): boolean {
    return this.abort !== undefined;
  }

  async run(prompt: string, targets: readonly [CompareTarget, CompareTarget]): Promise<ComparisonResult> {
    await this.stop();
    const abort = new AbortController();
    this.abort = abort;
    this.sides = undefined;
    const post = this.deps.post;
    const deps: CompareDeps = {
      ...this.deps,
      post: (message) => {
        if (message.type === 'started') this.sides = message.sides;
        post(message);
      },
    };
    const result = runComparison(deps, prompt, targets, abort.signal);
    this.done = result.catch(() => undefined);
    try {
      return await result;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** Stops both sides and resolves once both are saved as stopped. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.done;
  }

  /** The conversation one side of the last comparison was saved as. */
  conversationId(side: SideIndex): string | undefined {
    return this.sides?.[side]?.conversationId;
  }

  /** The provider one side of the last comparison asked (whose key a failed side's Set API Key sets). */
  providerId(side: SideIndex): string | undefined {
    return this.sides?.[side]?.providerId;
  }
}
