// Registers the OpenAI-compatible provider without loading the openai SDK until it is first used.
import type { ProviderRegistry } from '../registry';
import type { OpenAiProviderOptions } from './openAiProvider';

export const openAiProviderId = 'openai';

export function registerOpenAiProvider(
  registry: ProviderRegistry,
  options: Omit<OpenAiProviderOptions, 'id' | 'label'>,
): () => Promise<void> {
  const label = 'OpenAI-compatible API';
  return registry.register(
    { id: openAiProviderId, label, kind: 'remote', description: 'OpenAI, Azure, DeepSeek, Qwen, Ollama, LM Studio, vLLM...' },
    async () => {
      const { OpenAiProvider } = await import('./openAiProvider');
      return new OpenAiProvider({ ...options, id: openAiProviderId, label });
    },
  );
}
