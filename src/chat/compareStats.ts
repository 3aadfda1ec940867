// The numbers one side of a comparison shows. Time to first token is the comparison's own clock for
// both sides, from the moment the prompt left (so a local engine's model load counts, as the user waits
// for it); the decode speed is the provider's meter where it has one, else the comparison's.
import type { AnswerStats, Cost, Price, Usage } from '../protocol/chat';
import type { CompareStats } from '../protocol/compareMessages';

/** When the request left, the first text arrived and the stream ended, on one clock. */
export interface SideTimes {
  startedAt: number;
  /** The first text of either kind: thinking is the model at work too. */
  firstTokenAt?: number;
  firstReasoningAt?: number;
  firstAnswerAt?: number;
  endedAt: number;
}

/** What an answer's tokens cost; a preset's price carries the date it was checked, for the panel to show. */
export function costOf(usage: Usage, price: Price): Cost {
  const amount = (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
  return { amount, currency: price.currency, ...(price.presetChecked ? { presetChecked: price.presetChecked } : {}) };
}

export function sideStats(times: SideTimes, usage: Usage | undefined, reported: AnswerStats | undefined, price: Price | undefined): CompareStats {
  const measuredTtft = times.firstTokenAt === undefined ? undefined : times.firstTokenAt - times.startedAt;
  const streamingMs = times.firstTokenAt === undefined ? 0 : times.endedAt - times.firstTokenAt;
  const measuredRate = usage && streamingMs > 0 ? (usage.completionTokens * 1000) / streamingMs : undefined;
  const timeToFirstTokenMs = measuredTtft ?? reported?.timeToFirstTokenMs;
  const tokensPerSecond = reported?.tokensPerSecond ?? measuredRate;
  // As the chat measures it: until the answer began, or to the end for an answer that never did.
  const thinkingMs = times.firstReasoningAt === undefined ? undefined : (times.firstAnswerAt ?? times.endedAt) - times.firstReasoningAt;
  return {
    ...(timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs } : {}),
    ...(tokensPerSecond !== undefined ? { tokensPerSecond } : {}),
    ...(usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } : {}),
    ...(usage?.reasoningTokens ? { reasoningTokens: usage.reasoningTokens } : {}),
    ...(thinkingMs !== undefined ? { thinkingMs: Math.max(0, thinkingMs) } : {}),
    ...(usage && price ? { cost: costOf(usage, price) } : {}),
  };
}
