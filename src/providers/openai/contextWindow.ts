// Where an OpenAI-compatible server says how long a model's context window is. llama-server reports the
// context it was started with (`/props`); Ollama reports a model's parameters (`/api/show`: the `num_ctx` it
// runs with when set, else the model's trained length); vLLM, OpenRouter, Groq, Mistral and Together put it
// in their `/models` entries under one name or another. Nothing here is fatal: an unknown window only means
// no budget is applied and the status line shows no limit.
import type { ContextSource } from '../endpointPresets';
import type { FetchLike } from '../shared/remoteProviderOptions';

/** Field names of a `/models` entry that carry the context window, by server. */
const modelsFields = ['max_model_len', 'context_length', 'context_window', 'max_context_length', 'max_input_tokens'];

export interface ContextWindowQuery {
  baseUrl: string;
  model: string;
  source?: ContextSource;
  /** Headers for the request (the key, only when it may go to this origin). */
  headers: Record<string, string>;
  fetch: FetchLike;
}

export async function discoverContextWindow(q: ContextWindowQuery, signal?: AbortSignal): Promise<number | undefined> {
  const base = q.baseUrl.replace(/\/+$/, '');
  const root = base.replace(/\/v1$/, '');
  if (q.source === 'llama-server-props') {
    const props = await getJson(q, `${root}/props`, undefined, signal);
    return positive(field(field(props, 'default_generation_settings'), 'n_ctx')) ?? positive(field(props, 'n_ctx'));
  }
  if (q.source === 'ollama-show') {
    const show = await getJson(q, `${root}/api/show`, { model: q.model }, signal);
    const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(String(field(show, 'parameters') ?? ''))?.[1];
    if (numCtx) return positive(Number(numCtx));
    const info = field(show, 'model_info');
    if (info && typeof info === 'object') {
      for (const [key, value] of Object.entries(info)) if (key.endsWith('.context_length')) return positive(value);
    }
    return undefined;
  }
  if (q.source !== 'models-list') return undefined;
  const list = field(await getJson(q, `${base}/models`, undefined, signal), 'data');
  const entry = Array.isArray(list) ? list.find((m) => field(m, 'id') === q.model) : undefined;
  for (const name of modelsFields) {
    const value = positive(field(entry, name));
    if (value) return value;
  }
  return undefined;
}

async function getJson(q: ContextWindowQuery, url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const response = await q.fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...q.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) return undefined;
  return response.json() as Promise<unknown>;
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
