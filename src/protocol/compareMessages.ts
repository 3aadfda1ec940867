// Messages between the extension host and the Compare Models panel. The host validates every incoming
// message with `CompareToHostSchema`; the panel validates what it gets with `HostToCompareSchema`.
import { z } from 'zod';
import { CostSchema, ErrorInfoSchema, MessageStatusSchema } from './chat';
import { ProviderOptionSchema } from './webviewMessages';

const Id = z.string().min(1).max(200);

/** One side of a comparison: a provider and, where it has several, a model (else its configured one). */
export const CompareTargetSchema = z.object({
  providerId: Id,
  model: z.string().min(1).max(500).optional(),
});
export type CompareTarget = z.infer<typeof CompareTargetSchema>;

/** The two sides, A and B. */
export const CompareTargetsSchema = z.tuple([CompareTargetSchema, CompareTargetSchema]);

export const SideIndexSchema = z.union([z.literal(0), z.literal(1)]);
export type SideIndex = z.infer<typeof SideIndexSchema>;

/** What one answer measured: speed, tokens, cost, and where the prompt went. */
export const CompareStatsSchema = z.object({
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  tokensPerSecond: z.number().nonnegative().optional(),
  promptTokens: z.number().int().nonnegative().optional(),
  completionTokens: z.number().int().nonnegative().optional(),
  /** The part of `completionTokens` spent thinking, where it is known. */
  reasoningTokens: z.number().int().nonnegative().optional(),
  /** How long the model thought: from its first reasoning to the first text of the answer (or the end). */
  thinkingMs: z.number().nonnegative().optional(),
  /** Unknown (absent) when the endpoint has no prices set; 0 on this computer. */
  cost: CostSchema.optional(),
});
export type CompareStats = z.infer<typeof CompareStatsSchema>;

export const CompareSideInfoSchema = z.object({
  providerId: z.string(),
  providerLabel: z.string(),
  model: z.string().optional(),
  /** "stayed on this machine" or "sent to api.example.com". */
  dataWent: z.string(),
  conversationId: Id,
});
export type CompareSideInfo = z.infer<typeof CompareSideInfoSchema>;

export const CompareToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('run'), prompt: z.string().min(1).max(2_000_000), targets: CompareTargetsSchema }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('continueInChat'), side: SideIndexSchema }),
  /** A side failed for its API key: the host asks for the key of the provider that side asked. */
  z.object({ type: z.literal('setApiKey'), side: SideIndexSchema }),
  z.object({ type: z.literal('openLink'), url: z.string().max(8192) }),
  z.object({ type: z.literal('copyText'), text: z.string().max(2_000_000) }),
]);
export type CompareToHost = z.infer<typeof CompareToHostSchema>;

export const HostToCompareSchema = z.discriminatedUnion('type', [
  /** Sent after `ready`: the pickers' choices and the prompt to start from (the chat composer's, if any). */
  z.object({
    type: z.literal('init'),
    providers: z.array(ProviderOptionSchema),
    targets: CompareTargetsSchema,
    prompt: z.string(),
    running: z.boolean(),
  }),
  z.object({ type: z.literal('started'), comparisonId: Id, prompt: z.string(), sides: z.tuple([CompareSideInfoSchema, CompareSideInfoSchema]) }),
  z.object({ type: z.literal('delta'), side: SideIndexSchema, text: z.string() }),
  /** More of one side's reasoning (its "Thinking" section), apart from the answer text. */
  z.object({ type: z.literal('reasoningDelta'), side: SideIndexSchema, text: z.string() }),
  /** The side's answer text so far was thinking (a server's lone </think> said so): it moves into the Thinking section. */
  z.object({ type: z.literal('answerWasReasoning'), side: SideIndexSchema }),
  z.object({
    type: z.literal('sideDone'),
    side: SideIndexSchema,
    status: MessageStatusSchema,
    error: ErrorInfoSchema.optional(),
    stats: CompareStatsSchema,
  }),
  z.object({ type: z.literal('finished') }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string() }),
]);
export type HostToCompare = z.infer<typeof HostToCompareSchema>;
