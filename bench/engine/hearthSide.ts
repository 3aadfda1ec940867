// Hearth's own engine, in-process.
import { loadModel, type LoadModelOptions } from '../../src/engine';
import type { BenchSide } from './types';

/**
 * Hearth's engine as the benchmark drives it. Beyond device and dtype, the options are the engine's
 * own: `allowSpinning` (off as shipped, on in transformers.js), `int4Compute` (as exported unless a
 * run asks), `profileFilePrefix` (onnxruntime's profile, written on dispose).
 */
export async function openHearth(modelDir: string, dtype: 'fp32' | 'q4', options: LoadModelOptions): Promise<BenchSide> {
  const model = await loadModel(modelDir, { ...options, device: 'cpu', dtype });
  return {
    async answer(messages, newTokens, conversationId) {
      let text = '';
      const request = { conversationId, messages, maxNewTokens: newTokens, minNewTokens: newTokens, sampling: { temperature: 0, repetitionPenalty: 1 } };
      for await (const ev of model.generate(request)) {
        if (ev.type === 'delta') text += ev.text;
        if (ev.type === 'done') {
          const { stats, usage } = ev.result;
          if (usage.completionTokens !== newTokens) throw new Error(`Hearth wrote ${usage.completionTokens} tokens, not ${newTokens}.`);
          return {
            ttftMs: stats.timeToFirstTokenMs ?? NaN,
            decodeTokensPerSecond: stats.tokensPerSecond ?? NaN,
            text,
            cachedTokens: usage.cachedTokens,
            promptTokens: usage.promptTokens,
          };
        }
      }
      throw new Error('Hearth ended an answer without a done event.');
    },
    dispose: () => model.dispose(),
  };
}
