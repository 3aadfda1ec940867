// Registers the Anthropic provider without loading @anthropic-ai/sdk until it is first used.
import type { ProviderRegistry } from '../registry';
import type { AnthropicProviderOptions } from './anthropicProvider';

export const anthropicProviderId = 'anthropic';

export function registerAnthropicProvider(
  registry: ProviderRegistry,
  options: Omit<AnthropicProviderOptions, 'id' | 'label'>,
): () => Promise<void> {
  const label = 'Anthropic (Claude)';
  return registry.register(
    { id: anthropicProviderId, label, kind: 'remote', description: 'Claude models through the Anthropic Messages API' },
    async () => {
      const { AnthropicProvider } = await import('./anthropicProvider');
      return new AnthropicProvider({ ...options, id: anthropicProviderId, label });
    },
  );
}
