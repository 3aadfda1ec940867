// genai_config.json, onnxruntime-genai's description of a decoder folder: one writer for the plain
// test models (folderFiles.ts) and the family ones (familyFiles.ts), which differ only in ids, type,
// inputs and search defaults.
import type { ModelShape } from './shapes';

export interface GenaiConfigFacts {
  shape: ModelShape;
  filename: string;
  bos: number;
  eos: number[];
  pad: number;
  /** genai's model type: qwen2, llama, gemma3, ... */
  type: string;
  /** Standard-attention graphs take position_ids; GroupQueryAttention ones take positions from the mask. */
  positionIds: boolean;
  pastPresentShareBuffer: boolean;
  /** do_sample, temperature, top_k, top_p, repetition_penalty, ... */
  search: object;
}

export function genaiConfigJson(f: GenaiConfigFacts): object {
  const s = f.shape;
  return {
    model: {
      bos_token_id: f.bos,
      context_length: s.maxPositions,
      decoder: {
        session_options: { log_id: 'onnxruntime-genai', provider_options: [] },
        filename: f.filename,
        head_size: s.headDim,
        hidden_size: s.hiddenSize,
        inputs: {
          input_ids: 'input_ids',
          attention_mask: 'attention_mask',
          ...(f.positionIds ? { position_ids: 'position_ids' } : {}),
          past_key_names: 'past_key_values.%d.key',
          past_value_names: 'past_key_values.%d.value',
        },
        outputs: { logits: 'logits', present_key_names: 'present.%d.key', present_value_names: 'present.%d.value' },
        num_attention_heads: s.numHeads,
        num_hidden_layers: s.numLayers,
        num_key_value_heads: s.numKvHeads,
      },
      eos_token_id: f.eos,
      pad_token_id: f.pad,
      type: f.type,
      vocab_size: s.vocabSize,
    },
    search: {
      diversity_penalty: 0,
      early_stopping: true,
      length_penalty: 1,
      max_length: s.maxPositions,
      min_length: 0,
      no_repeat_ngram_size: 0,
      num_beams: 1,
      num_return_sequences: 1,
      past_present_share_buffer: f.pastPresentShareBuffer,
      ...f.search,
    },
  };
}
