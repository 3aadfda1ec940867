// The generation loop of one answer: fit the prompt to the context window, reuse the
// conversation's cached prefix, prefill the rest, then sample token by token until EOS, a stop
// string, the token limit or cancellation (checked between steps, so it lands within a token).
// A device that fails mid-answer hands over to the fallback one (GenerationContext.recover), which
// recomputes the cache of what was already fed and continues the same answer.
import type { GenerationRequest, GenerationResult, GenerationUsage } from '../protocol/engine';
import { answerBudget, fitToContext } from './contextBudget';
import { EngineError } from './errors';
import type { DecoderSession } from './decoderSession';
import { type KvCache, disposeKvCache } from './kvCache';
import { type PrefixCache, commonPrefixLength } from './prefixCache';
import { createRandom, randomSeed } from './prng';
import { type SamplingDefaults, applyRepetitionPenalty, resolveSampling, sampleToken } from './sampler';
import { StopStringFilter } from './stopStrings';
import { StreamDecoder } from './streamDecoder';
import type { TextCodec } from './textCodec';
import { ThinkSplitter, type SplitPiece } from './thinkSplitter';

export type GenerationEvent =
  | { type: 'notice'; text: string }
  | { type: 'delta'; text: string }
  /** Text the model wrote inside its thinking block. */
  | { type: 'reasoning'; text: string }
  | { type: 'done'; result: GenerationResult };

export interface GenerationContext {
  decoder: DecoderSession;
  text: TextCodec;
  prefixCache: PrefixCache;
  contextWindow: number;
  samplingDefaults: SamplingDefaults;
  device: string;
  defaultMaxNewTokens: number;
  /**
   * Called when a forward pass fails: a decoder on the next device to continue on (this context's
   * decoder and prefix cache are replaced by then), or undefined to fail the answer.
   */
  recover?: (err: unknown) => Promise<DecoderReplacement | undefined>;
}

export interface DecoderReplacement {
  decoder: DecoderSession;
  device: string;
  /** Shown with the answer, e.g. why the GPU was left. */
  notice: string;
}

export async function* generateAnswer(
  ctx: GenerationContext,
  request: GenerationRequest,
  signal?: AbortSignal,
): AsyncGenerator<GenerationEvent> {
  const started = performance.now();
  const { maxNewTokens, reserve } = answerBudget(request.maxNewTokens ?? ctx.defaultMaxNewTokens, ctx.contextWindow);
  const thinking = request.thinking ?? 'auto';
  const fitted = fitToContext(request.messages, (m) => ctx.text.encodeChat(m, thinking, request.tools), ctx.contextWindow - reserve, ctx.contextWindow);
  if (fitted.dropped > 0) {
    const s = fitted.dropped === 1 ? '' : 's';
    yield {
      type: 'notice',
      text: `Left out the ${fitted.dropped} oldest message${s} to fit the model's context window of ${ctx.contextWindow} tokens.`,
    };
  }
  const promptIds = fitted.ids;
  if (promptIds.length === 0) throw new EngineError('badRequest', 'The prompt is empty.', 'Type a message first.');

  const { seed, ...overrides } = request.sampling ?? {};
  const sampling = resolveSampling(ctx.samplingDefaults, overrides);
  const random = createRandom(seed ?? randomSeed());
  const stops = [...(request.stop ?? []), ...(ctx.text.usesFallbackTemplate ? ['<|im_end|>', '<|im_start|>'] : [])];
  const stopFilter = new StopStringFilter(stops);
  const streamDecoder = new StreamDecoder((ids) => ctx.text.decode(ids));
  // <think>…</think> goes out as reasoning; a generation prompt that opened it starts the answer inside.
  const splitter = new ThinkSplitter({ startsInside: ctx.text.opensThinking(fitted.messages, thinking) });
  let reasoningTokens = 0;
  const minNewTokens = request.minNewTokens ?? 0;

  // Reuse the longest common prefix with this conversation's cache; at least one prompt
  // token must be fed to get logits.
  let decoder = ctx.decoder;
  let device = ctx.device;
  let cached = request.conversationId ? ctx.prefixCache.take(request.conversationId) : undefined;
  let reused = 0;
  let kv: KvCache = decoder.emptyCache();
  /** The tokens `kv` covers; saved with it for the next turn. */
  const kvIds: number[] = [];
  let keepCache = true;
  const notices: string[] = [];

  /** One forward pass over `ids` after `kv`; the logits of its last position. */
  const pass = async (ids: number[]): Promise<Float32Array> => {
    try {
      const out = await decoder.forward(ids, kv);
      kv = out.cache;
      kvIds.push(...ids);
      return out.logits;
    } catch (err) {
      if (!ctx.recover) throw err;
      // The failed device's cache is released before its session is (a device tensor released
      // after its session aborts the process); on a lost device that may fail too.
      try {
        disposeKvCache(kv);
      } catch {
        // nothing more to free
      }
      const replacement = await ctx.recover(err);
      if (!replacement) throw err;
      ({ decoder, device } = replacement);
      notices.push(replacement.notice);
      // Recompute what the lost cache covered, then this pass: the answer goes on as it was.
      const all = [...kvIds, ...ids];
      kvIds.length = 0;
      kv = decoder.reserve(decoder.emptyCache(), all.length + 1);
      let logits: Float32Array = new Float32Array(0);
      for (let at = 0; at < all.length; at += decoder.prefillChunk) {
        const chunk = all.slice(at, at + decoder.prefillChunk);
        const out = await decoder.forward(chunk, kv);
        kv = out.cache;
        kvIds.push(...chunk);
        logits = out.logits;
      }
      return logits;
    }
  };

  const generated: number[] = [];
  const seen = new Set(promptIds);
  let finishReason: GenerationResult['finishReason'] = 'length';
  let firstTokenAt: number | undefined;
  let lastTokenAt = started;
  let prefillMs = 0;

  try {
    if (cached) {
      reused = Math.min(commonPrefixLength(cached.ids, promptIds), promptIds.length - 1, cached.kv.length);
      // Even with nothing reused, shared buffers are kept and overwritten rather than reallocated.
      kv = await decoder.trim(cached.kv, reused);
      kvIds.push(...promptIds.slice(0, reused));
      // Its buffers now belong to `kv`: drop the reference rather than keep a dead cache of tens of
      // MB alive for the whole answer.
      cached = undefined;
    }
    // Room for the whole prompt and the start of the answer at once, rather than growing per chunk.
    kv = decoder.reserve(kv, promptIds.length + 1);

    let logits: Float32Array | undefined;
    const prefillStart = performance.now();
    // Long prompts are prefilled in chunks: bounded memory, and cancellation between chunks.
    for (let at = reused; at < promptIds.length; at += decoder.prefillChunk) {
      if (signal?.aborted) break;
      const chunk = promptIds.slice(at, Math.min(at + decoder.prefillChunk, promptIds.length));
      logits = await pass(chunk);
      for (const text of notices.splice(0)) yield { type: 'notice', text };
    }
    prefillMs = performance.now() - prefillStart;

    while (logits && !signal?.aborted) {
      applyRepetitionPenalty(logits, seen, sampling.repetitionPenalty);
      if (generated.length < minNewTokens) for (const eos of ctx.text.eosTokenIds) logits[eos] = -Infinity;
      const token = sampleToken(logits, sampling, random);
      lastTokenAt = performance.now();
      firstTokenAt ??= lastTokenAt;
      if (ctx.text.eosTokenIds.has(token)) {
        finishReason = 'stop';
        break;
      }
      generated.push(token);
      seen.add(token);
      const before = splitter.phase;
      const text = stopFilter.push(streamDecoder.push(token));
      const pieces = text ? splitter.push(text) : [];
      // The tags count as thinking; so does a token whose text is still held back inside the block.
      if (before === 'reasoning' || splitter.phase === 'reasoning') reasoningTokens++;
      yield* splitEvents(pieces);
      if (stopFilter.stopped) {
        finishReason = 'stop';
        break;
      }
      if (generated.length >= maxNewTokens || kv.length + 1 >= ctx.contextWindow) {
        finishReason = 'length';
        break;
      }
      if (signal?.aborted) break;
      logits = await pass([token]);
      for (const text of notices.splice(0)) yield { type: 'notice', text };
    }
    if (signal?.aborted) finishReason = 'cancelled';

    if (!stopFilter.stopped) {
      const tail = stopFilter.push(streamDecoder.flush()) + stopFilter.flush();
      if (tail) yield* splitEvents(splitter.push(tail));
    }
    yield* splitEvents(splitter.flush());
  } catch (err) {
    keepCache = false;
    throw err;
  } finally {
    if (request.conversationId && keepCache && kv.length === kvIds.length) {
      ctx.prefixCache.put(request.conversationId, { ids: kvIds, kv });
    } else {
      // Not kept (a failed answer, or an early return): its device memory goes back now.
      disposeKvCache(kv);
    }
  }

  if (thinking === 'off' && !ctx.text.thinkingSwitch && reasoningTokens > 0) {
    yield { type: 'notice', text: "hearth.local.thinking is off, but this model's chat template has no enable_thinking switch, so the model still thinks before it answers." };
  }
  const usage: GenerationUsage = {
    promptTokens: promptIds.length,
    completionTokens: generated.length,
    cachedTokens: reused,
    ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
  };
  const decodeSeconds = (lastTokenAt - (firstTokenAt ?? lastTokenAt)) / 1000;
  yield {
    type: 'done',
    result: {
      finishReason,
      usage,
      stats: {
        ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - started } : {}),
        ...(generated.length > 1 && decodeSeconds > 0 ? { tokensPerSecond: (generated.length - 1) / decodeSeconds } : {}),
        prefillMs,
        device,
      },
      droppedMessages: fitted.dropped,
    },
  };
}

function* splitEvents(pieces: SplitPiece[]): Generator<GenerationEvent> {
  for (const piece of pieces) yield piece.kind === 'reasoning' ? { type: 'reasoning', text: piece.text } : { type: 'delta', text: piece.text };
}
