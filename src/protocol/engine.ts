// JSON-RPC between the extension host (LocalProvider) and the engine host process.
// Requests go host -> engine; answer text streams back as `chatEvent` notifications keyed by
// the request's `requestId`, then the `chat` request resolves with usage and speed. Cancel a
// chat with vscode-jsonrpc's cancellation token: the engine stops within one token.
// Failures come back as a ResponseError whose `data` is an `EngineErrorData`.
import { z } from 'zod';
import { ChatMessageSchema, ErrorInfoSchema } from './chat';

export const EngineMethods = {
  loadModel: 'engine/loadModel',
  chat: 'engine/chat',
  countTokens: 'engine/countTokens',
  dispose: 'engine/dispose',
} as const;

export const EngineNotifications = {
  chatEvent: 'engine/chatEvent',
  log: 'engine/log',
} as const;

export const DeviceSchema = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
export type Device = z.infer<typeof DeviceSchema>;

export const DtypeSchema = z.enum(['auto', 'fp32', 'fp16', 'q8', 'q4', 'q4f16']);
export type Dtype = z.infer<typeof DtypeSchema>;

/** model: as exported; int8: activations quantized to int8 (faster); fp32: exact float math; auto: int8 where the CPU has dot-product instructions, else fp32. */
export const Int4ComputeSchema = z.enum(['model', 'int8', 'fp32', 'auto']);
export type Int4Compute = z.infer<typeof Int4ComputeSchema>;

export const LoadModelParamsSchema = z.object({
  modelPath: z.string().min(1),
  device: DeviceSchema,
  dtype: DtypeSchema,
  /** 0: one per physical core. */
  threads: z.number().int().nonnegative(),
  /** Let onnxruntime's worker threads spin between operations instead of sleeping (hearth.local.threadSpinning). */
  allowSpinning: z.boolean().default(false),
  /** How int4 weights are multiplied on the CPU (hearth.local.int4Compute). */
  int4Compute: Int4ComputeSchema.default('model'),
});
export type LoadModelParams = z.infer<typeof LoadModelParamsSchema>;

export const SkippedDeviceSchema = z.object({ device: z.string(), reason: z.string() });
export type SkippedDevice = z.infer<typeof SkippedDeviceSchema>;

export const LoadedModelInfoSchema = z.object({
  modelId: z.string(),
  modelPath: z.string(),
  layout: z.enum(['transformers.js', 'genai']),
  /** The .onnx file that runs, relative to the model folder. */
  modelFile: z.string(),
  dtype: z.string(),
  /** The device that runs the model, e.g. 'cpu'. */
  device: z.string(),
  /** The GPU behind it, as far as it can be told, e.g. 'SwiftShader (software) / Vulkan' (WebGPU only). */
  adapter: z.string().optional(),
  requestedDevice: DeviceSchema,
  /** Devices tried before `device` and why each was not used. */
  skippedDevices: z.array(SkippedDeviceSchema),
  contextWindow: z.number().int().positive(),
  /** CPU threads onnxruntime uses (the resolved count when the setting was 0). */
  threads: z.number().int().nonnegative(),
  /** Whether those threads spin between operations. */
  threadSpinning: z.boolean(),
  /** What the model's int4 matmuls were set to ('model' when left as exported or when it has none). */
  int4Compute: Int4ComputeSchema,
  /** MatMulNBits nodes the setting changed (0 when it is 'model', or for a model without int4 weights). */
  int4MatMulsChanged: z.number().int().nonnegative(),
  /** The chat template reads `enable_thinking`, so hearth.local.thinking `off` can turn the model's reasoning off. */
  thinkingSwitch: z.boolean().optional(),
  loadMs: z.number().nonnegative(),
});
export type LoadedModelInfo = z.infer<typeof LoadedModelInfoSchema>;

/** Per-request sampling overrides; absent means the model's generation defaults. */
export const SamplingOverridesSchema = z.object({
  temperature: z.number().nonnegative().optional(),
  topK: z.number().int().nonnegative().optional(),
  topP: z.number().min(0).max(1).optional(),
  minP: z.number().min(0).max(1).optional(),
  repetitionPenalty: z.number().positive().optional(),
  seed: z.number().int().optional(),
});
export type SamplingOverrides = z.infer<typeof SamplingOverridesSchema>;

export const ThinkingModeSchema = z.enum(['auto', 'off']);
export type ThinkingMode = z.infer<typeof ThinkingModeSchema>;

/** A tool the model may call, as chat templates take them (`parameters`: a JSON Schema). */
export const ToolSpecSchema = z.object({
  name: z.string().min(1),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const ToolCallSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * A message as the engine renders it: a chat message, an assistant turn that called tools, or a tool's
 * result (role 'tool'); the model's chat template lays them out as the model was trained to read them.
 */
export const EngineMessageSchema = z.object({
  role: z.enum([...ChatMessageSchema.shape.role.options, 'tool']),
  content: z.string(),
  toolCalls: z.array(ToolCallSchema).optional(),
  /** On a tool result: the call it answers. */
  toolCallId: z.string().optional(),
});
export type EngineMessage = z.infer<typeof EngineMessageSchema>;

export const GenerationRequestSchema = z.object({
  /** Keys the prefix cache: the next turn of the same conversation reuses its KV cache. */
  conversationId: z.string().min(1).optional(),
  messages: z.array(EngineMessageSchema).min(1),
  /** Passed to a chat template that takes tools; ignored by one that does not. */
  tools: z.array(ToolSpecSchema).optional(),
  maxNewTokens: z.number().int().positive().optional(),
  /** EOS is suppressed until this many tokens are written (benchmarks, tests). */
  minNewTokens: z.number().int().nonnegative().optional(),
  stop: z.array(z.string().min(1)).optional(),
  sampling: SamplingOverridesSchema.optional(),
  /** hearth.local.thinking: `off` renders the chat template with `enable_thinking: false` (where it has that switch). */
  thinking: ThinkingModeSchema.optional(),
});
export type GenerationRequest = z.infer<typeof GenerationRequestSchema>;

export const ChatParamsSchema = GenerationRequestSchema.extend({ requestId: z.string().min(1) });
export type ChatParams = z.infer<typeof ChatParamsSchema>;

export const StreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delta'), text: z.string() }),
  /** Text the model wrote inside <think>…</think>: its reasoning, not the answer. */
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({ type: z.literal('notice'), text: z.string() }),
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;

export const ChatEventParamsSchema = z.object({ requestId: z.string(), event: StreamEventSchema });
export type ChatEventParams = z.infer<typeof ChatEventParamsSchema>;

export const GenerationUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Prompt tokens served from the prefix cache (not recomputed). */
  cachedTokens: z.number().int().nonnegative(),
  /** Answer tokens written inside <think>…</think> (part of completionTokens). */
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type GenerationUsage = z.infer<typeof GenerationUsageSchema>;

export const GenerationStatsSchema = z.object({
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  /** Decode speed after the first token. */
  tokensPerSecond: z.number().nonnegative().optional(),
  prefillMs: z.number().nonnegative(),
  device: z.string(),
});
export type GenerationStats = z.infer<typeof GenerationStatsSchema>;

export const FinishReasonSchema = z.enum(['stop', 'length', 'cancelled']);

export const GenerationResultSchema = z.object({
  finishReason: FinishReasonSchema,
  usage: GenerationUsageSchema,
  stats: GenerationStatsSchema,
  /** Old messages left out to fit the context window. */
  droppedMessages: z.number().int().nonnegative(),
});
export type GenerationResult = z.infer<typeof GenerationResultSchema>;

/** Messages: the rendered prompt's tokens (with the generation prompt); text: the text's own tokens. */
export const CountTokensParamsSchema = z.union([
  z.object({ messages: z.array(EngineMessageSchema), tools: z.array(ToolSpecSchema).optional() }),
  z.object({ text: z.string() }),
]);
export type CountTokensParams = z.infer<typeof CountTokensParamsSchema>;

export const CountTokensResultSchema = z.object({
  tokens: z.number().int().nonnegative(),
  contextWindow: z.number().int().positive(),
});
export type CountTokensResult = z.infer<typeof CountTokensResultSchema>;

export const LogParamsSchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
});
export type LogParams = z.infer<typeof LogParamsSchema>;

/** `data` of every ResponseError the engine sends. */
export const EngineErrorDataSchema = ErrorInfoSchema.extend({ file: z.string().optional() });
export type EngineErrorData = z.infer<typeof EngineErrorDataSchema>;

/** JSON-RPC error code of engine failures (in the server-defined range). */
export const ENGINE_ERROR_CODE = -32001;
