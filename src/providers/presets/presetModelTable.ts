// What a preset's table says about a model (context window, list price), validated when loaded, and the order in
// which Hearth believes the sources of a context window and a price.
import { z } from 'zod';
import type { Price } from '../../protocol/chat';
import { presetModelData } from './presetModelData';

export const PresetModelEntrySchema = z
  .object({
    /** An endpoint preset id (src/providers/endpointPresets.ts). */
    preset: z.string().min(1),
    /** The API's model id, then any aliases it also answers to. */
    models: z.array(z.string().min(1)).min(1),
    contextWindow: z.number().int().positive(),
    maxOutput: z.number().int().positive().optional(),
    /** List prices per million tokens (uncached input). */
    inputPerMTok: z.number().nonnegative(),
    outputPerMTok: z.number().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code'),
    /** When the page was read (or its own date), YYYY-MM-DD. */
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    /** The provider's own page the numbers come from. */
    source: z.string().url(),
  })
  .strict();
export type PresetModelEntry = z.infer<typeof PresetModelEntrySchema>;
export type PresetModelEntryInput = z.input<typeof PresetModelEntrySchema>;

/** Validates a table: every entry, and no model listed twice for one preset. Throws what is wrong. */
export function parsePresetModelTable(raw: readonly unknown[]): PresetModelEntry[] {
  const entries = z.array(PresetModelEntrySchema).parse(raw);
  const seen = new Set<string>();
  for (const entry of entries) {
    for (const model of entry.models) {
      const key = `${entry.preset} ${model}`;
      if (seen.has(key)) throw new Error(`The preset table lists ${model} twice for ${entry.preset}.`);
      seen.add(key);
    }
  }
  return entries;
}

const table = parsePresetModelTable(presetModelData);

/** The table's entry for a model of a preset, if it has one. */
export function presetModel(preset: string | undefined, model: string | undefined, entries: readonly PresetModelEntry[] = table): PresetModelEntry | undefined {
  if (!preset || !model) return undefined;
  return entries.find((e) => e.preset === preset && e.models.includes(model));
}

/** The context windows a preset's table knows, by model id (and alias). */
export function presetContextWindows(preset: string | undefined, entries: readonly PresetModelEntry[] = table): Record<string, number> {
  const windows: Record<string, number> = {};
  for (const entry of entries) if (entry.preset === preset) for (const model of entry.models) windows[model] = entry.contextWindow;
  return windows;
}

/**
 * A model's context window: the user's setting for the endpoint (an explicit choice, e.g. a smaller budget), else
 * what the server reports for the model, else the preset's table; undefined when nobody says.
 */
export function pickContextWindow(sources: { user?: number | undefined; server?: number | undefined; preset?: number | undefined }): number | undefined {
  return sources.user ?? sources.server ?? sources.preset;
}

/**
 * The price of a model's tokens: the user's own prices for the endpoint, else the preset's table (with the date it
 * was checked, which the panel shows), else free for a server on this computer, else unknown.
 */
export function pickPrice(sources: { user?: Price | undefined; preset?: PresetModelEntry | undefined; local: boolean }): Price | undefined {
  if (sources.user) return sources.user;
  const p = sources.preset;
  if (p) return { input: p.inputPerMTok, output: p.outputPerMTok, currency: p.currency, presetChecked: p.checked };
  return sources.local ? { input: 0, output: 0, currency: 'USD' } : undefined;
}
