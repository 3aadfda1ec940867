// Keeps a prompt inside the context window: leaves out the oldest turns (never a system message
// and never the newest message) until the prompt plus the answer's reserve fits.
import { EngineError } from './errors';

/** The answer's room and the prompt's limit for a window: both the engine and what Hearth tells VS Code of a model. */
export function answerBudget(maxNewTokens: number, contextWindow: number): { maxNewTokens: number; reserve: number } {
  const capped = Math.min(maxNewTokens, contextWindow - 1);
  // Keep room for the answer, but never more than a quarter of the window: a long history
  // should not be cut to make room for an answer that is usually much shorter than its limit.
  return { maxNewTokens: capped, reserve: Math.min(capped, Math.floor(contextWindow / 4)) };
}

export interface FittedPrompt<M extends { role: string }> {
  messages: M[];
  ids: number[];
  /** How many messages were left out. */
  dropped: number;
}

/**
 * `budget` is the most prompt tokens allowed (context window minus the answer's reserve).
 * Binary-searches how many old messages to drop, so a long history costs O(log n) encodes.
 */
export function fitToContext<M extends { role: string }>(
  messages: readonly M[],
  encode: (messages: readonly M[]) => number[],
  budget: number,
  contextWindow: number,
): FittedPrompt<M> {
  const full = encode(messages);
  if (full.length <= budget) return { messages: [...messages], ids: full, dropped: 0 };

  const last = messages.length - 1;
  const removable = messages.flatMap((m, i) => (m.role !== 'system' && i !== last ? [i] : []));
  // Cut points: drop the first k removable messages, never leaving an answer without its question.
  const cuts: number[] = [];
  for (let k = 1; k <= removable.length; k++) {
    const next = removable[k];
    if (next === undefined || messages[next]?.role !== 'assistant') cuts.push(k);
  }
  const attempt = (k: number): FittedPrompt<M> => {
    const drop = new Set(removable.slice(0, k));
    const kept = messages.filter((_, i) => !drop.has(i));
    return { messages: kept, ids: encode(kept), dropped: k };
  };

  let lo = 0;
  let hi = cuts.length - 1;
  let best: FittedPrompt<M> | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const tried = attempt(cuts[mid] as number);
    if (tried.ids.length <= budget) {
      best = tried;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  if (best) return best;
  const minimal = cuts.length ? attempt(cuts[cuts.length - 1] as number) : { ids: full };
  throw new EngineError(
    'contextTooLong',
    `The newest message needs ${minimal.ids.length} tokens with the system prompt, but the model's context window is ` +
      `${contextWindow} tokens and ${contextWindow - budget} of them are kept for the answer.`,
    'Shorten the message or the attached context, lower hearth.local.maxNewTokens, or use a model with a longer context window.',
  );
}
