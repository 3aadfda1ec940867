// The shape of models/catalog.json: the curated models "Hearth: Download Model…" offers.
import { z } from 'zod';

/** A Hugging Face repository id, owner/name. */
export const RepoIdSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name');

/** A branch name, or a full 40-hex commit id (a pinned revision). */
export const RevisionSchema = z.string().regex(/^(?:main|[0-9a-f]{40})$/, 'expected "main" or a full commit id');

export const CatalogVariantSchema = z.strictObject({
  /** Which kind of device this variant is meant for. */
  device: z.enum(['cpu', 'gpu']),
  dtype: z.enum(['fp32', 'fp16', 'q8', 'q4', 'q4f16']),
  /** Folder inside the repository holding the variant (onnxruntime-genai layout); its files land at the model folder's root. */
  subfolder: z.string().regex(/^[\w.-]+(?:\/[\w.-]+)*$/).optional(),
  /** The .onnx file, relative to subfolder; its external data files come along. */
  weights: z.string().regex(/^[\w./-]+\.onnx$/),
  /** Download size as the hub's file list shows it (rounded); the downloader uses the exact listing. */
  approxBytes: z.number().int().positive(),
});

export const CatalogEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9.-]+$/),
  name: z.string().min(1),
  repo: RepoIdSchema,
  revision: RevisionSchema,
  family: z.string().min(1),
  /** config.json model_type (genai: the base model's). */
  modelType: z.string().min(1),
  layout: z.enum(['transformers.js', 'genai']),
  params: z.string().regex(/^\d+(?:\.\d+)?[MB]$/),
  contextWindow: z.number().int().positive(),
  license: z.string().min(1),
  strengths: z.array(z.enum(['chat', 'code', 'reasoning'])).min(1),
  variants: z.array(CatalogVariantSchema).min(1),
  /** Hub pages that show this id, revision and file layout exist. */
  evidence: z.array(z.string().startsWith('https://huggingface.co/')).min(1),
});

export const CatalogSchema = z
  .strictObject({
    version: z.literal(1),
    models: z.array(CatalogEntrySchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const ids = new Set<string>();
    for (const [i, m] of catalog.models.entries()) {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${m.id}`, path: ['models', i, 'id'] });
      ids.add(m.id);
      if (!m.variants.some((v) => v.device === 'cpu')) {
        ctx.addIssue({ code: 'custom', message: `${m.id} has no cpu variant`, path: ['models', i, 'variants'] });
      }
      if (m.layout === 'genai' && m.variants.some((v) => !v.subfolder)) {
        ctx.addIssue({ code: 'custom', message: `${m.id}: genai variants name their subfolder`, path: ['models', i, 'variants'] });
      }
    }
  });

export type Catalog = z.infer<typeof CatalogSchema>;
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export type CatalogVariant = z.infer<typeof CatalogVariantSchema>;
