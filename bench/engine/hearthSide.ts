// Hearth's own engine, in-process.
import { loadModel } from '../../src/engine';
import type { BenchSide } from './types';

/**
 * `allowSpinning`: onnxruntime's spin-waiting threads, off in Hearth (see devices.ts), on in transformers.js.
 * `profileFilePrefix`: onnxruntime profiles every run and writes the file on dispose.
 */
export async function openHearth(modelDir: string, dtype: 'fp32' | 'q4', threads: number, allowSpinning = false, profileFilePrefix?: string): Promise<BenchSide> {
  const model = await loadModel(modelDir, { device: 'cpu', dtype, threads, allowSpinning, profileFilePrefix });
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
