// Registers the local provider; nothing heavy loads until the first local request (the engine
// host, and onnxruntime-node in it, start only then).
import type { ProviderRegistry } from '../registry';
import type { LocalProviderOptions } from './localProvider';

export const localProviderId = 'local';

export function registerLocalProvider(
  registry: ProviderRegistry,
  options: Omit<LocalProviderOptions, 'id' | 'label'>,
): () => Promise<void> {
  const label = 'Local model';
  return registry.register(
    { id: localProviderId, label, kind: 'local', description: 'Runs on this computer: private, no server' },
    async () => {
      const { LocalProvider } = await import('./localProvider');
      return new LocalProvider({ ...options, id: localProviderId, label });
    },
  );
}
