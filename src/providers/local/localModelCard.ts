// What VS Code's model picker needs to know about a local model folder, read from its small JSON
// files without starting the engine: the context window (as the engine's modelFolder.ts reads it)
// and whether its chat template takes tools.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { templateTakesTools } from '../../engine/templateFeatures';

export interface LocalModelCard {
  contextWindow: number;
  toolCalling: boolean;
}

/** The engine's window when config.json names none (src/engine/modelFolder.ts). */
const DEFAULT_CONTEXT = 2048;

const ConfigSchema = z.looseObject({ max_position_embeddings: z.number().int().positive().optional() });
const GenaiSchema = z.looseObject({
  model: z.looseObject({ context_length: z.number().int().positive(), chat_template: z.string().optional() }),
});
const TokenizerConfigSchema = z.looseObject({
  chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]).nullish(),
});

/** undefined when the folder is not a model the engine could load (no config.json or genai_config.json). */
export async function readLocalModelCard(dir: string): Promise<LocalModelCard | undefined> {
  const genai = await readJson(join(dir, 'genai_config.json'), GenaiSchema);
  const config = genai ? undefined : await readJson(join(dir, 'config.json'), ConfigSchema);
  if (!genai && !config) return undefined;
  const template = genai?.model.chat_template ?? (await chatTemplateOf(dir));
  return {
    contextWindow: genai?.model.context_length ?? config?.max_position_embeddings ?? DEFAULT_CONTEXT,
    toolCalling: templateTakesTools(template),
  };
}

async function chatTemplateOf(dir: string): Promise<string | undefined> {
  const t = (await readJson(join(dir, 'tokenizer_config.json'), TokenizerConfigSchema))?.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x.name === 'default') ?? t[0])?.template;
  const jinja = join(dir, 'chat_template.jinja');
  return existsSync(jinja) ? readFile(jinja, 'utf8').catch(() => undefined) : undefined;
}

async function readJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | undefined> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
