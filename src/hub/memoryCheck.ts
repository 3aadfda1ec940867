// Whether an installed model can run in this machine's memory, judged before the engine loads it:
// a model that cannot fit must fail with a clear message, not push the machine into swap.
import { formatBytes } from './downloadProgress';
import type { Manifest } from './modelStore';

/** Memory a model with this many bytes of weights needs: the weights, the runtime's working set and a KV cache. */
export function requiredMemory(weightBytes: number): number {
  return Math.round(weightBytes * 1.2) + 768 * 1024 * 1024;
}

/** The bytes of the manifest's weight files (the .onnx and its external data; not the tokenizer and configs). */
export function weightBytes(manifest: Manifest): number {
  return manifest.files.filter((f) => /\.onnx(?:$|[._]data)/.test(f.path)).reduce((n, f) => n + f.size, 0);
}

/** Why the model cannot run here, or undefined when it can. */
export function memoryRefusal(manifest: Manifest, totalMemory: number): string | undefined {
  const need = requiredMemory(weightBytes(manifest));
  if (need <= totalMemory) return undefined;
  return `${manifest.repo} needs about ${formatBytes(need)} of memory to run; this machine has ${formatBytes(totalMemory)}.`;
}
