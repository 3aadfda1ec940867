// @huggingface/transformers generate(), offline from the same folder, greedy, same thread count.
import { basename, dirname } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor, TextStreamer } from '@huggingface/transformers';
import type { BenchSide } from './types';

/** `profileFilePrefix`: onnxruntime profiles every run and writes the file on dispose. */
export async function openTransformersJs(modelDir: string, dtype: 'fp32' | 'q4', threads: number, profileFilePrefix?: string): Promise<BenchSide> {
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelDir);
  const id = basename(modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  const model = await AutoModelForCausalLM.from_pretrained(id, {
    dtype,
    device: 'cpu',
    session_options: { intraOpNumThreads: threads, ...(profileFilePrefix ? { enableProfiling: true, profileFilePrefix } : {}) },
  });
  return {
    async answer(messages, newTokens) {
      const started = performance.now();
      const inputs = tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true }) as { input_ids: Tensor; attention_mask: Tensor };
      // Timestamps each generated token as generate() hands it over (text output discarded).
      const times: number[] = [];
      const ids: number[] = [];
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        callback_function: () => undefined,
        token_callback_function: (tokens) => {
          times.push(performance.now());
          ids.push(Number(tokens[0]));
        },
      });
      await model.generate({ ...inputs, max_new_tokens: newTokens, min_new_tokens: newTokens, do_sample: false, repetition_penalty: 1, streamer });
      const t = times;
      if (t.length !== newTokens) throw new Error(`transformers.js wrote ${t.length} tokens, not ${newTokens}.`);
      return {
        ttftMs: t[0] - started,
        decodeTokensPerSecond: (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000),
        text: tokenizer.decode(ids, { skip_special_tokens: true }),
        cachedTokens: 0,
        promptTokens: inputs.input_ids.dims[1],
      };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
