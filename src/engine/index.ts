/**
 * Hearth's local inference engine, usable in-process (benchmarks, tests) or behind the engine
 * host (main.ts, JSON-RPC over IPC).
 *
 *   const model = await loadModel(dir, { device: 'auto', dtype: 'auto', threads: 0 }, signal);
 *   model.info            // device that runs, devices skipped and why, context window, file, dtype
 *   for await (const ev of model.generate({ conversationId, messages, maxNewTokens, stop,
 *                                           sampling: { temperature, topK, topP, minP,
 *                                                       repetitionPenalty, seed } }, signal)) {
 *     // ev: { type: 'notice', text } | { type: 'delta', text } | { type: 'done', result }
 *   }                     // result: finishReason, usage (prompt/completion/cached tokens), stats
 *   model.countTokens(messages); await model.dispose();
 *
 * Failures are `EngineError`s (kind 'badModel' names the file; 'contextTooLong'; ...).
 * Aborting the signal ends an answer within one token with finishReason 'cancelled'.
 * Answers of one model run one at a time; a conversationId keeps its KV cache for the next turn.
 */
export { loadModel, type LoadedModel, type LoadModelOptions } from './loadedModel';
export type { GenerationEvent } from './generation';
export { EngineError } from './errors';
export { StreamDecoder } from './streamDecoder';
