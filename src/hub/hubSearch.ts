// "Search Hugging Face…": the hub's model search, narrowed to ONNX text-generation repositories whose
// config.json model_type is one the engine runs.
import { listModels } from '@huggingface/hub';
import { hubFetch } from './hubFetch';

/** model_type values of the catalog's families (Qwen2.5/Qwen3, Llama 3.2 and SmolLM2, Gemma 3, Phi-3.5/Phi-4 mini). */
export const SUPPORTED_MODEL_TYPES: readonly string[] = ['qwen2', 'qwen3', 'llama', 'gemma3_text', 'phi3'];

export interface SearchHit {
  repo: string;
  modelType: string;
  downloads: number;
  likes: number;
  gated: boolean;
  updatedAt: Date;
}

export async function searchModels(
  query: string,
  options: { endpoint: string; token?: string; fetch?: typeof fetch; limit?: number },
  signal?: AbortSignal,
): Promise<SearchHit[]> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const fetchFn = hubFetch({ endpoint, ...(options.token ? { token: options.token } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) }, undefined, signal);
  const hits: SearchHit[] = [];
  for await (const m of listModels({
    search: { query, task: 'text-generation', tags: ['onnx'] },
    additionalFields: ['config'],
    sort: 'downloads',
    limit: options.limit ?? 100,
    hubUrl: endpoint,
    fetch: fetchFn,
  })) {
    const config: unknown = m.config;
    const modelType = config && typeof config === 'object' && 'model_type' in config ? String(config.model_type) : '';
    if (!SUPPORTED_MODEL_TYPES.includes(modelType)) continue;
    hits.push({ repo: m.name, modelType, downloads: m.downloads, likes: m.likes, gated: Boolean(m.gated), updatedAt: m.updatedAt });
  }
  return hits;
}
