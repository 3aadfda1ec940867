// Knows which providers exist and creates each on first use, so activation loads no SDK or native module.
import { ProviderError, type ChatProvider } from './types';

export interface ProviderDescriptor {
  id: string;
  label: string;
  kind: 'local' | 'remote';
  /** One line for the picker, e.g. "Runs on this computer". */
  description?: string;
}

/** Creates the provider; heavy modules belong in a dynamic `import()` inside it. */
export type ProviderFactory = () => ChatProvider | Promise<ChatProvider>;

interface Entry {
  descriptor: ProviderDescriptor;
  factory: ProviderFactory;
  instance?: Promise<ChatProvider>;
}

export class ProviderRegistry {
  private readonly entries = new Map<string, Entry>();
  private disposed = false;

  /** Registers a factory; returns a function that unregisters it (and disposes its instance). */
  register(descriptor: ProviderDescriptor, factory: ProviderFactory): () => Promise<void> {
    if (this.entries.has(descriptor.id)) throw new Error(`A provider with id '${descriptor.id}' is already registered.`);
    const entry: Entry = { descriptor, factory };
    this.entries.set(descriptor.id, entry);
    return async () => {
      if (this.entries.get(descriptor.id) !== entry) return;
      this.entries.delete(descriptor.id);
      await disposeInstance(entry);
    };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** For a picker, in registration order. */
  list(): ProviderDescriptor[] {
    return [...this.entries.values()].map((e) => ({ ...e.descriptor }));
  }

  /** The provider, created on the first call; concurrent first calls share one instance. */
  get(id: string): Promise<ChatProvider> {
    if (this.disposed) return Promise.reject(new Error('The provider registry has been disposed.'));
    const entry = this.entries.get(id);
    if (!entry) {
      const known = [...this.entries.keys()].join(', ') || 'none';
      return Promise.reject(
        new ProviderError('badRequest', `Unknown provider '${id}' (known: ${known}).`, "Pick one with 'Hearth: Select Provider'."),
      );
    }
    if (!entry.instance) {
      const creating = Promise.resolve().then(entry.factory);
      entry.instance = creating;
      // A failed creation is not cached: the next get() tries again (e.g. after the user fixes a setting).
      creating.catch(() => {
        if (entry.instance === creating) entry.instance = undefined;
      });
    }
    return entry.instance;
  }

  /** Whether `get(id)` has created (or is creating) the provider. */
  isCreated(id: string): boolean {
    return this.entries.get(id)?.instance !== undefined;
  }

  /** Disposes the instance so the next `get` creates a fresh one (e.g. after settings that need a restart). */
  async reset(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry) await disposeInstance(entry);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(disposeInstance));
  }
}

async function disposeInstance(entry: Entry): Promise<void> {
  const instance = entry.instance;
  entry.instance = undefined;
  if (!instance) return;
  try {
    await (await instance).dispose?.();
  } catch {
    // A provider that failed to create or to dispose has nothing left to release.
  }
}
