// Shared helpers for the engine's tests: generated test models and collecting an answer.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureModel, type TestModelName } from '../../../models/testModels';
import type { GenerationEvent } from '../../../src/engine/generation';
import type { LoadedModel } from '../../../src/engine/loadedModel';
import type { GenerationRequest, GenerationResult } from '../../../src/protocol/engine';

export const modelDir = (name: TestModelName): Promise<string> => ensureModel(name);

const copies: string[] = [];

/** A private copy of a test model, to break on purpose; `removeModelCopies` deletes them. */
export async function copyOfModel(name: TestModelName): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), 'hearth-model-'));
  copies.push(parent);
  const dir = join(parent, name);
  cpSync(await ensureModel(name), dir, { recursive: true });
  return dir;
}

/**
 * A copy of tiny-standard-tjs whose only end-of-sequence id lies outside its vocabulary, so an
 * answer runs until its token limit: for tests of cancellation and crashes.
 */
export async function endlessModel(): Promise<string> {
  const dir = await copyOfModel('tiny-standard-tjs');
  const edit = (file: string, change: (json: Record<string, unknown>) => void): void => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
  };
  const outsideVocabulary = 1_000_000;
  edit('generation_config.json', (j) => (j['eos_token_id'] = outsideVocabulary));
  edit('config.json', (j) => (j['eos_token_id'] = outsideVocabulary));
  edit('tokenizer_config.json', (j) => (j['eos_token'] = null));
  return dir;
}

export function removeModelCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Answer {
  text: string;
  /** What the model wrote inside its thinking block. */
  reasoning: string;
  deltas: string[];
  notices: string[];
  result: GenerationResult;
}

export async function collect(events: AsyncIterable<GenerationEvent>): Promise<Answer> {
  const deltas: string[] = [];
  const notices: string[] = [];
  let reasoning = '';
  let result: GenerationResult | undefined;
  for await (const event of events) {
    if (event.type === 'delta') deltas.push(event.text);
    else if (event.type === 'reasoning') reasoning += event.text;
    else if (event.type === 'notice') notices.push(event.text);
    else result = event.result;
  }
  if (!result) throw new Error('the answer ended without a done event');
  return { text: deltas.join(''), reasoning, deltas, notices, result };
}

export function answer(model: LoadedModel, request: GenerationRequest, signal?: AbortSignal): Promise<Answer> {
  return collect(model.generate(request, signal));
}

export const greedy = { temperature: 0 } as const;
