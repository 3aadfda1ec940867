// Keeps a remote prompt inside the model's context window, as the local engine does: the oldest turns are
// left out (never the system prompt, never the newest message, never an answer without its question), and
// the caller says so. Remote tokenizers are not at hand, so tokens are estimated: a CJK character counts as
// one token (their tokenizers give about that), other text as one per 3.5 characters (English prose is ~4,
// code ~3), plus a few tokens per message for its role markers: erring towards dropping a turn early rather
// than having the server refuse the request.
import type { ChatMessage } from '../../protocol/chat';
import { ProviderError } from '../types';

const cjk = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

export function estimateTokens(message: ChatMessage): number {
  const wide = message.content.match(cjk)?.length ?? 0;
  return 4 + wide + Math.ceil((message.content.length - wide) / 3.5);
}

export interface FittedRemotePrompt {
  messages: ChatMessage[];
  /** Messages left out, oldest first. */
  dropped: number;
  estimatedTokens: number;
}

/** `reserve`: tokens kept for the answer. Throws `contextTooLong` when even the newest message cannot fit. */
export function fitRemotePrompt(messages: readonly ChatMessage[], contextWindow: number, reserve: number): FittedRemotePrompt {
  const budget = contextWindow - reserve;
  const costs = messages.map(estimateTokens);
  let total = costs.reduce((a, b) => a + b, 0);
  const last = messages.length - 1;
  const dropped = new Set<number>();
  for (let i = 0; i < last && total > budget; i++) {
    if (messages[i]?.role === 'system') continue;
    dropped.add(i);
    total -= costs[i] ?? 0;
    // An answer is never kept without the question it answers.
    while (i + 1 < last && messages[i + 1]?.role === 'assistant') {
      i += 1;
      dropped.add(i);
      total -= costs[i] ?? 0;
    }
  }
  if (total > budget) {
    throw new ProviderError(
      'contextTooLong',
      `The newest message needs about ${total} tokens with the system prompt, but the model's context window is ${contextWindow} tokens and ${reserve} of them are kept for the answer.`,
      'Shorten the message or the attached context, lower the endpoint\'s maxTokens, or pick a model with a longer context window.',
    );
  }
  return { messages: messages.filter((_, i) => !dropped.has(i)), dropped: dropped.size, estimatedTokens: total };
}

/** Tokens kept for the answer: the configured limit, but never more than a quarter of a small window. */
export function answerReserve(contextWindow: number, maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? 1024, Math.floor(contextWindow / 4));
}

/** Said whenever turns are left out: never silently. */
export function droppedNotice(dropped: number, model: string, contextWindow: number): string {
  return `Left out the ${dropped} oldest message${dropped === 1 ? '' : 's'} to fit ${model}'s context window (${contextWindow.toLocaleString('en-US')} tokens).`;
}
