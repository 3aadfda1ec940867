// Measures one streamed answer: time to first token, and tokens per second after it. Thinking
// (reasoning) text counts as tokens too: the model is writing them.
import type { AnswerStats } from '../../protocol/chat';

export class AnswerMeter {
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private deltas = 0;
  private reasoningLength = 0;
  private textLength = 0;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  onDelta(text = '', reasoning = false): void {
    const t = this.now();
    this.firstAt ??= t;
    this.lastAt = t;
    this.deltas += 1;
    if (reasoning) this.reasoningLength += text.length;
    else this.textLength += text.length;
  }

  /** The answer text so far was thinking (a lone </think> said so). */
  answerWasReasoning(): void {
    this.reasoningLength += this.textLength;
    this.textLength = 0;
  }

  /**
   * The answer's tokens spent thinking: as the server reported them, else (a server that counts only
   * output tokens, as Anthropic does) the reasoning's share of the streamed characters.
   */
  reasoningTokens(completionTokens: number | undefined, reported: number | undefined): number | undefined {
    if (reported !== undefined) return reported;
    if (this.reasoningLength === 0 || completionTokens === undefined) return undefined;
    return Math.round((completionTokens * this.reasoningLength) / (this.reasoningLength + this.textLength));
  }

  get sawText(): boolean {
    return this.deltas > 0;
  }

  /** `completionTokens` from usage when the server sent it, else one token per chunk (close for most servers). */
  stats(completionTokens?: number): AnswerStats {
    if (this.firstAt === undefined || this.lastAt === undefined) return {};
    const stats: AnswerStats = { timeToFirstTokenMs: this.firstAt - this.startedAt };
    const tokens = completionTokens ?? this.deltas;
    const seconds = (this.lastAt - this.firstAt) / 1000;
    // The first token's arrival starts the clock, so it is not counted in the rate.
    if (seconds > 0 && tokens > 1) stats.tokensPerSecond = (tokens - 1) / seconds;
    return stats;
  }
}
