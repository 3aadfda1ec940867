// What the catalog quick pick says about fitting this machine: a CPU variant against the RAM, a GPU
// variant against the GPU's own memory where it is known (unified memory: the RAM).
import { type Fit, fitsMemory, requiredMemoryBytes, variantFor } from './catalog';
import type { CatalogEntry, CatalogVariant } from './catalogSchema';
import { formatBytes } from './downloadProgress';
import type { GpuMemory } from './gpuMemory';

export interface MachineMemory {
  ramBytes: number;
  /** undefined: not known (or not asked, for a CPU variant). */
  gpu: GpuMemory | undefined;
}

export interface FitReport {
  /** undefined where the GPU's memory is unknown. */
  fit: Fit | undefined;
  /** For the quick pick's detail line, e.g. "fits your GPU (NVIDIA GeForce RTX 4070, 12 GB)". */
  text: string;
  /** Sort key: what fits first; an unknown GPU sorts by the RAM as before. */
  rank: number;
}

const RANK: Record<Fit, number> = { fits: 0, tight: 1, 'too-big': 2 };

/**
 * Whether a variant fits a GPU with this much memory of its own. Looser than fitsMemory's: RAM is
 * shared with the OS and every other program, a GPU's memory only with the display (a few hundred MB).
 */
export function fitsGpuMemory(variant: CatalogVariant, gpuBytes: number): Fit {
  const need = requiredMemoryBytes(variant);
  if (need <= gpuBytes * 0.8) return 'fits';
  return need <= gpuBytes * 0.95 ? 'tight' : 'too-big';
}

/** GPU memory as cards are sold: "12 GB" for 12 GiB (nvidia-smi's 12282 MiB), "1.5 GB" below 10. */
export function formatGpuBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return `${gib < 10 ? Math.round(gib * 10) / 10 : Math.round(gib)} GB`;
}

export function describeFit(entry: CatalogEntry, variant: CatalogVariant, machine: MachineMemory): FitReport {
  const ram = machine.ramBytes;
  const need = formatBytes(requiredMemoryBytes(variant));
  const ramFit = fitsMemory(variant, ram);
  const gpu = machine.gpu;
  if (variant.device === 'cpu' || gpu?.kind === 'unified') {
    const where = gpu?.kind === 'unified' && variant.device === 'gpu' ? 'unified memory' : 'RAM';
    const text = ramFit === 'fits' ? `fits this machine (${formatBytes(ram)} ${where})` : `needs about ${need} of memory; this machine has ${formatBytes(ram)} ${where}${ramFit === 'tight' ? ': tight' : ''}`;
    return { fit: ramFit, text, rank: RANK[ramFit] };
  }
  const card = gpu?.gpus[0]; // the largest
  if (!card) return { fit: undefined, text: `GPU memory unknown; needs about ${need}`, rank: RANK[ramFit] };
  const has = formatGpuBytes(card.bytes);
  const fit = fitsGpuMemory(variant, card.bytes);
  if (fit === 'fits') return { fit, text: `fits your GPU (${card.name}, ${has})`, rank: RANK[fit] };
  if (fit === 'tight') return { fit, text: `needs about ${need}; your GPU (${card.name}) has ${has}: tight`, rank: RANK[fit] };
  const cpuFit = fitsMemory(variantFor(entry, 'cpu'), ram);
  const cpuText = cpuFit === 'fits' ? ': the CPU variant fits' : cpuFit === 'tight' ? `: the CPU variant is tight in ${formatBytes(ram)} RAM` : ` and for ${formatBytes(ram)} RAM`;
  return { fit, text: `needs about ${need}; too big for your GPU's ${has}${cpuText}`, rank: RANK[fit] };
}
