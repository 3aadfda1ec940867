// The engine host's environment. For models that do not get the new-rows KV layout (standard
// attention, or GroupQueryAttention graphs with inline weights), each decoding step makes
// onnxruntime-node hand back the whole KV cache as fresh buffers (tens of MB at a few thousand
// tokens) and frees the last step's.
// glibc starts by serving such blocks with mmap/munmap and trims the heap once 64 MB lie free at
// its top, so step after step the cache is page-faulted in again: measured here at 550-1100
// faults and ~20% of the step time at 1000 tokens. From the start, blocks up to 32 MB (glibc's
// own ceiling for its adaptive threshold) come from the heap, and up to 128 MB of free heap is
// kept for the next step: steady-state decoding stops faulting. A larger threshold (256 MB)
// measured no faster and kept load-time buffers of fp32 models resident. glibc only; other C
// libraries ignore these variables.
export const ENGINE_MALLOC_ENV = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(128 * 2 ** 20),
} as const;

/** The parent's environment plus the allocator settings, unless the user set their own. */
export function engineHostEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(ENGINE_MALLOC_ENV)) env[key] ??= value;
  return env;
}
