// Chat data shared by every process: messages, usage, errors, stored conversations.
import { z } from 'zod';

export const RoleSchema = z.enum(['system', 'user', 'assistant']);
export type Role = z.infer<typeof RoleSchema>;

/** A message as a provider sees it. */
export const ChatMessageSchema = z.object({
  role: RoleSchema,
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** The part of `completionTokens` the model spent thinking (its reasoning), where it is known. */
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** What went wrong, in terms the panel can act on. */
export const ErrorKindSchema = z.enum([
  'auth',
  'rateLimit',
  'contextTooLong',
  'network',
  'badModel',
  'badRequest',
  'server',
  'cancelled',
  'engineCrashed',
  'unknown',
]);
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

/** The one command that fixes an error, offered as a button under it: Set API Key, Select Model, New Chat. */
export const ErrorRemedySchema = z.enum(['setApiKey', 'selectModel', 'newChat']);
export type ErrorRemedy = z.infer<typeof ErrorRemedySchema>;

export const ErrorInfoSchema = z.object({
  kind: ErrorKindSchema,
  message: z.string(),
  /** What the user can do about it, e.g. "Run 'Hearth: Set API Key'". */
  action: z.string().optional(),
  remedy: ErrorRemedySchema.optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** What tokens cost: from the usage the server reported and a price per million tokens. */
export const CostSchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string().max(8),
  /** The price was a preset's list price checked on this date (YYYY-MM-DD), not the user's own: the panel says so. */
  presetChecked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type Cost = z.infer<typeof CostSchema>;

/** Speed of one answer, shown in the status line. */
export const AnswerStatsSchema = z.object({
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  tokensPerSecond: z.number().nonnegative().optional(),
  device: z.string().optional(),
  /** What the answer cost, from the usage the server reported and the endpoint's prices (0 on this computer). */
  cost: CostSchema.optional(),
  /** How long the model thought before it began the answer ("Thought for N s"). */
  thinkingMs: z.number().nonnegative().optional(),
});
export type AnswerStats = z.infer<typeof AnswerStatsSchema>;

/** Per million tokens. */
export interface Price {
  input: number;
  output: number;
  currency: string;
  /** Set when the price is a preset's list price (not the user's own): the date it was checked, YYYY-MM-DD. */
  presetChecked?: string;
}

/** `truncated`: the model or server hit its token limit; the answer can be continued. */
export const MessageStatusSchema = z.enum(['complete', 'streaming', 'stopped', 'truncated', 'error']);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** Editor context the user attached to a message (selection, file, problems). */
export const AttachmentSchema = z.object({
  kind: z.enum(['selection', 'file', 'problems']),
  label: z.string(),
  content: z.string(),
  language: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** A message as stored in a conversation file and shown in the panel. */
export const StoredMessageSchema = z.object({
  id: z.string().min(1),
  role: RoleSchema,
  content: z.string(),
  /** What a reasoning model thought before answering: shown apart, never sent back in later prompts. */
  reasoning: z.string().optional(),
  createdAt: z.number(),
  status: MessageStatusSchema.default('complete'),
  providerId: z.string().optional(),
  model: z.string().optional(),
  /** Where the answer came from: the API's host (e.g. `api.openai.com`), or `this computer`. */
  endpoint: z.string().max(300).optional(),
  error: ErrorInfoSchema.optional(),
  usage: UsageSchema.optional(),
  stats: AnswerStatsSchema.optional(),
  attachments: z.array(AttachmentSchema).optional(),
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

export const ConversationSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  providerId: z.string().optional(),
  model: z.string().optional(),
  /** Set on the conversations one Compare run made (one per side): they stay ordinary conversations, tagged as siblings. */
  comparisonId: z.string().max(200).optional(),
  messages: z.array(StoredMessageSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
  comparisonId: z.string().optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;
