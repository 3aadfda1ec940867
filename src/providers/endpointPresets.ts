// What Hearth knows about each popular model service: its API shape, base URL, whether it needs a key, how its
// models are listed and where its context window can be read. Base URLs were checked against each service's
// documentation (late 2026). A user's endpoint names a preset and may override any of it.
import { z } from 'zod';
import type { Price } from '../protocol/chat';

/**
 * Where a server says how long a model's context window is: llama-server's `/props`, Ollama's `/api/show`, or
 * the entries of its `/models` list. Services that say it nowhere are not asked (no request for nothing).
 */
export type ContextSource = 'llama-server-props' | 'ollama-show' | 'models-list';

export interface EndpointPreset {
  id: string;
  label: string;
  api: 'openai' | 'anthropic';
  /** Empty where each user has their own (Azure: their resource's URL). */
  baseUrl: string;
  /** Local servers run on this computer and usually need no key. */
  local: boolean;
  keyRequired: boolean;
  /** Where to get a key, shown by Set API Key. */
  keyPage?: string;
  contextSource?: ContextSource;
  /** The token-limit field the service wants; the provider also learns it from a 400 that names it. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** A model to start with, when the user names none. */
  defaultModel?: string;
}

export const endpointPresets: readonly EndpointPreset[] = [
  { id: 'openai', label: 'OpenAI', api: 'openai', baseUrl: 'https://api.openai.com/v1', local: false, keyRequired: true, keyPage: 'https://platform.openai.com/api-keys', maxTokensField: 'max_completion_tokens', defaultModel: 'gpt-4o-mini' },
  { id: 'azure-openai', label: 'Azure OpenAI', api: 'openai', baseUrl: '', local: false, keyRequired: true, keyPage: 'https://portal.azure.com' },
  { id: 'anthropic', label: 'Anthropic', api: 'anthropic', baseUrl: 'https://api.anthropic.com', local: false, keyRequired: true, keyPage: 'https://console.anthropic.com/settings/keys' },
  { id: 'gemini', label: 'Google Gemini', api: 'openai', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', local: false, keyRequired: true, keyPage: 'https://aistudio.google.com/apikey' },
  { id: 'deepseek', label: 'DeepSeek', api: 'openai', baseUrl: 'https://api.deepseek.com/v1', local: false, keyRequired: true, keyPage: 'https://platform.deepseek.com/api_keys', defaultModel: 'deepseek-chat' },
  { id: 'dashscope', label: 'Qwen (DashScope)', api: 'openai', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', local: false, keyRequired: true, keyPage: 'https://bailian.console.aliyun.com' },
  { id: 'moonshot', label: 'Moonshot Kimi', api: 'openai', baseUrl: 'https://api.moonshot.ai/v1', local: false, keyRequired: true, keyPage: 'https://platform.moonshot.ai/console/api-keys' },
  { id: 'zhipu', label: 'Zhipu GLM', api: 'openai', baseUrl: 'https://open.bigmodel.cn/api/paas/v4', local: false, keyRequired: true, keyPage: 'https://open.bigmodel.cn/usercenter/apikeys' },
  { id: 'qianfan', label: 'Baidu Qianfan', api: 'openai', baseUrl: 'https://qianfan.baidubce.com/v2', local: false, keyRequired: true, keyPage: 'https://console.bce.baidu.com/iam/#/iam/apikey/list' },
  { id: 'ark', label: 'Volcengine Ark (Doubao)', api: 'openai', baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', local: false, keyRequired: true, keyPage: 'https://console.volcengine.com/ark' },
  { id: 'minimax', label: 'MiniMax', api: 'openai', baseUrl: 'https://api.minimax.io/v1', local: false, keyRequired: true, keyPage: 'https://platform.minimax.io', maxTokensField: 'max_completion_tokens' },
  { id: 'siliconflow', label: 'SiliconFlow', api: 'openai', baseUrl: 'https://api.siliconflow.cn/v1', local: false, keyRequired: true, keyPage: 'https://cloud.siliconflow.cn/account/ak' },
  { id: 'mistral', label: 'Mistral', api: 'openai', baseUrl: 'https://api.mistral.ai/v1', local: false, keyRequired: true, keyPage: 'https://console.mistral.ai/api-keys', contextSource: 'models-list' },
  { id: 'groq', label: 'Groq', api: 'openai', baseUrl: 'https://api.groq.com/openai/v1', local: false, keyRequired: true, keyPage: 'https://console.groq.com/keys', contextSource: 'models-list' },
  { id: 'openrouter', label: 'OpenRouter', api: 'openai', baseUrl: 'https://openrouter.ai/api/v1', local: false, keyRequired: true, keyPage: 'https://openrouter.ai/keys', contextSource: 'models-list' },
  { id: 'together', label: 'Together AI', api: 'openai', baseUrl: 'https://api.together.xyz/v1', local: false, keyRequired: true, keyPage: 'https://api.together.ai/settings/api-keys', contextSource: 'models-list' },
  { id: 'ollama', label: 'Ollama', api: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', local: true, keyRequired: false, contextSource: 'ollama-show' },
  { id: 'lmstudio', label: 'LM Studio', api: 'openai', baseUrl: 'http://127.0.0.1:1234/v1', local: true, keyRequired: false },
  { id: 'vllm', label: 'vLLM', api: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', local: true, keyRequired: false, contextSource: 'models-list' },
  { id: 'llama-server', label: "llama.cpp's llama-server", api: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', local: true, keyRequired: false, contextSource: 'llama-server-props' },
];

export function findPreset(id: string): EndpointPreset | undefined {
  return endpointPresets.find((p) => p.id === id);
}

/** One entry of `hearth.endpoints` (user settings). Prices are per million tokens, in `currency`. */
export const EndpointSettingSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,40}$/i, 'an id of letters, digits, ".", "_" or "-"'),
    preset: z.string().optional(),
    label: z.string().min(1).max(80).optional(),
    baseUrl: z.string().url().optional(),
    model: z.string().min(1).max(200).optional(),
    /** Models offered in the picker when the server cannot list them. */
    models: z.array(z.string().min(1).max(200)).max(200).optional(),
    contextWindow: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    inputPrice: z.number().nonnegative().optional(),
    outputPrice: z.number().nonnegative().optional(),
    currency: z.string().min(1).max(8).optional(),
  })
  .strict();
export type EndpointSetting = z.infer<typeof EndpointSettingSchema>;

/** An endpoint with its preset folded in: everything a provider needs. */
export interface ResolvedEndpoint extends Pick<EndpointPreset, 'id' | 'label' | 'api' | 'baseUrl' | 'local' | 'keyRequired' | 'keyPage' | 'contextSource' | 'maxTokensField'> {
  /** The preset it names, whose table (src/providers/presets) knows context windows and list prices. */
  preset?: string;
  model?: string;
  models: string[];
  contextWindow?: number;
  maxTokens?: number;
  price?: Price;
}

export interface EndpointProblem {
  index: number;
  message: string;
}

/** Validates `hearth.endpoints`; bad entries are reported (and left out), never silently dropped. */
export function resolveEndpoints(raw: unknown): { endpoints: ResolvedEndpoint[]; problems: EndpointProblem[] } {
  const endpoints: ResolvedEndpoint[] = [];
  const problems: EndpointProblem[] = [];
  if (raw === undefined || raw === null) return { endpoints, problems };
  if (!Array.isArray(raw)) return { endpoints, problems: [{ index: -1, message: 'hearth.endpoints must be a list of endpoints.' }] };
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const parsed = EndpointSettingSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push({ index, message: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') });
      return;
    }
    const setting = parsed.data;
    const preset = setting.preset === undefined ? undefined : findPreset(setting.preset);
    if (setting.preset !== undefined && !preset) {
      problems.push({ index, message: `unknown preset "${setting.preset}" (known: ${endpointPresets.map((p) => p.id).join(', ')})` });
      return;
    }
    const baseUrl = setting.baseUrl ?? preset?.baseUrl ?? '';
    if (!baseUrl) {
      problems.push({ index, message: `"${setting.id}" needs a baseUrl${preset ? ` (the ${preset.label} preset has none: each account has its own)` : ''}` });
      return;
    }
    if (seen.has(setting.id)) {
      problems.push({ index, message: `the id "${setting.id}" is used twice` });
      return;
    }
    seen.add(setting.id);
    const local = preset?.local ?? false;
    const model = setting.model ?? preset?.defaultModel;
    const prices = setting.inputPrice !== undefined && setting.outputPrice !== undefined;
    endpoints.push({
      id: setting.id,
      label: setting.label ?? preset?.label ?? setting.id,
      api: preset?.api ?? 'openai',
      baseUrl,
      local,
      keyRequired: preset?.keyRequired ?? false,
      ...(preset ? { preset: preset.id } : {}),
      ...(preset?.keyPage ? { keyPage: preset.keyPage } : {}),
      ...(model ? { model } : {}),
      models: setting.models ?? [],
      ...(setting.contextWindow ? { contextWindow: setting.contextWindow } : {}),
      ...(preset?.contextSource ? { contextSource: preset.contextSource } : {}),
      ...(setting.maxTokens ? { maxTokens: setting.maxTokens } : {}),
      ...(preset?.maxTokensField ? { maxTokensField: preset.maxTokensField } : {}),
      // A server on this computer costs nothing per token; a remote one costs what the user says it does.
      ...(prices
        ? { price: { input: setting.inputPrice ?? 0, output: setting.outputPrice ?? 0, currency: setting.currency ?? 'USD' } }
        : local
          ? { price: { input: 0, output: 0, currency: setting.currency ?? 'USD' } }
          : {}),
    });
  });
  return { endpoints, problems };
}
