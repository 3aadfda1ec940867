// Reads a JSON file of a model folder and validates it; every failure names the file.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import { EngineError, errorMessage } from './errors';

const FIX_FOLDER =
  'Point hearth.local.modelPath at a complete ONNX chat model folder (transformers.js/onnx-community or onnxruntime-genai layout), or download the model again.';

export function readJsonFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  const name = basename(path);
  if (!existsSync(path)) {
    throw new EngineError('badModel', `${name} is missing from the model folder (${path}).`, FIX_FOLDER, name);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EngineError('badModel', `${name} is not valid JSON: ${errorMessage(err)}`, FIX_FOLDER, name);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new EngineError('badModel', `${name} does not look like a model file: ${problems}`, FIX_FOLDER, name);
  }
  return parsed.data;
}

/** Like readJsonFile, but a missing file is fine. */
export function readOptionalJsonFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> | undefined {
  return existsSync(path) ? readJsonFile(path, schema) : undefined;
}

export { FIX_FOLDER };
