// zod schemas of the JSON files in a model folder. Only the fields the engine reads are listed;
// unknown fields are ignored so newer exports still load.
import { z } from 'zod';

const TokenIds = z.union([z.number().int(), z.array(z.number().int())]);

/** transformers.js externals: true/false, a chunk count, or per-file values. */
const ExternalDataFormat = z.union([
  z.boolean(),
  z.number().int().nonnegative(),
  z.record(z.string(), z.union([z.boolean(), z.number().int().nonnegative()])),
]);

export const ModelConfigSchema = z.object({
  model_type: z.string().optional(),
  num_hidden_layers: z.number().int().positive().optional(),
  num_attention_heads: z.number().int().positive().optional(),
  num_key_value_heads: z.number().int().positive().optional(),
  hidden_size: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().optional(),
  max_position_embeddings: z.number().int().positive().optional(),
  eos_token_id: TokenIds.nullish(),
  'transformers.js_config': z
    .object({ use_external_data_format: ExternalDataFormat.optional() })
    .optional(),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const GenerationConfigSchema = z.object({
  do_sample: z.boolean().optional(),
  temperature: z.number().nonnegative().optional(),
  top_k: z.number().int().nonnegative().optional(),
  top_p: z.number().min(0).max(1).optional(),
  min_p: z.number().min(0).max(1).nullish(),
  repetition_penalty: z.number().positive().optional(),
  eos_token_id: TokenIds.nullish(),
});
export type GenerationConfig = z.infer<typeof GenerationConfigSchema>;

const SpecialToken = z.union([z.string(), z.object({ content: z.string() })]).nullish();

export const TokenizerConfigSchema = z.looseObject({
  chat_template: z
    .union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))])
    .nullish(),
  bos_token: SpecialToken,
  eos_token: SpecialToken,
  pad_token: SpecialToken,
  unk_token: SpecialToken,
});
export type TokenizerConfig = z.infer<typeof TokenizerConfigSchema>;

export const GenaiConfigSchema = z.object({
  model: z.object({
    context_length: z.number().int().positive(),
    eos_token_id: TokenIds,
    bos_token_id: z.number().int().optional(),
    type: z.string().optional(),
    chat_template: z.string().optional(),
    decoder: z.object({
      filename: z.string().min(1),
      head_size: z.number().int().positive(),
      num_hidden_layers: z.number().int().positive(),
      num_key_value_heads: z.number().int().positive(),
      num_attention_heads: z.number().int().positive().optional(),
      inputs: z.record(z.string(), z.string()).optional(),
      outputs: z.record(z.string(), z.string()).optional(),
    }),
  }),
  search: z
    .object({
      do_sample: z.boolean().optional(),
      temperature: z.number().nonnegative().optional(),
      top_k: z.number().int().nonnegative().optional(),
      top_p: z.number().min(0).max(1).optional(),
      repetition_penalty: z.number().positive().optional(),
      max_length: z.number().int().positive().optional(),
    })
    .optional(),
});
export type GenaiConfig = z.infer<typeof GenaiConfigSchema>;

/** A special token's text, whether written as a string or as an AddedToken object. */
export function specialTokenText(token: z.infer<typeof SpecialToken>): string | undefined {
  if (token === null || token === undefined) return undefined;
  return typeof token === 'string' ? token : token.content;
}

export function tokenIdList(ids: number | number[] | null | undefined): number[] {
  if (ids === null || ids === undefined) return [];
  return Array.isArray(ids) ? ids : [ids];
}

/** tokenizer.json: kept whole (the tokenizer library reads it); only its shape is checked. */
export const TokenizerJsonSchema = z.looseObject({
  model: z.looseObject({ type: z.string().optional() }),
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string() })).optional(),
});
export type TokenizerJson = z.infer<typeof TokenizerJsonSchema>;
