// The curated catalog (models/catalog.json, bundled) and what fits this machine.
import catalogJson from '../../models/catalog.json';
import { requiredMemory } from './memoryCheck';
import { type Catalog, type CatalogEntry, type CatalogVariant, CatalogSchema } from './catalogSchema';

let parsed: Catalog | undefined;

/** The catalog, validated once (the build validates it too, so this never throws in a shipped build). */
export function catalog(): Catalog {
  parsed ??= CatalogSchema.parse(catalogJson);
  return parsed;
}

export function catalogEntry(id: string): CatalogEntry | undefined {
  return catalog().models.find((m) => m.id === id);
}

/** The variant to fetch for a device kind: the GPU one where there is a GPU and the entry has one, else the CPU one. */
export function variantFor(entry: CatalogEntry, device: 'cpu' | 'gpu'): CatalogVariant {
  const cpu = entry.variants.find((v) => v.device === 'cpu');
  const chosen = entry.variants.find((v) => v.device === device) ?? cpu;
  if (!chosen) throw new Error(`${entry.id} has no variant`); // the schema requires a cpu variant
  return chosen;
}

/** Memory a variant needs to run: its weights, the runtime's working set and a KV cache for a few thousand tokens. */
export function requiredMemoryBytes(variant: CatalogVariant): number {
  return requiredMemory(variant.approxBytes);
}

export type Fit = 'fits' | 'tight' | 'too-big';

/** Whether a variant fits a machine with this much memory (RAM, or the GPU's own memory where it reports one). */
export function fitsMemory(variant: CatalogVariant, totalBytes: number): Fit {
  const need = requiredMemoryBytes(variant);
  if (need <= totalBytes * 0.5) return 'fits';
  return need <= totalBytes * 0.8 ? 'tight' : 'too-big';
}
