// The engine host's environment. Each decoding step makes onnxruntime-node hand back the whole
// KV cache as fresh buffers (tens of MB at a few thousand tokens) and frees the last step's.
// glibc's defaults serve such blocks with mmap/munmap or trim them off the heap, so every step
// page-faults the cache in again: measured here at 550-1100 faults and ~20% of the step time at
// 1000 tokens. Keeping blocks up to 256 MB on the heap and not trimming it makes steady-state
// decoding fault-free, at the cost of holding the high-water mark (the engine host exits when
// idle, which gives it all back). glibc only; other C libraries ignore these variables.
export const ENGINE_MALLOC_ENV = {
  MALLOC_MMAP_THRESHOLD_: String(256 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(2 ** 30),
} as const;

/** The parent's environment plus the allocator settings, unless the user set their own. */
export function engineHostEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(ENGINE_MALLOC_ENV)) env[key] ??= value;
  return env;
}
