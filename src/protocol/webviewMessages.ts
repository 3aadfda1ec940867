// Messages between the extension host and the chat webview. The host validates every
// incoming message with `WebviewToHostSchema` before acting on it.
import { z } from 'zod';
import {
  AnswerStatsSchema,
  CostSchema,
  ConversationSchema,
  ConversationSummarySchema,
  ErrorInfoSchema,
  MessageStatusSchema,
  StoredMessageSchema,
  UsageSchema,
} from './chat';

const Id = z.string().min(1).max(200);
/** Generous but bounded: a message is not a denial of service. */
const Text = z.string().max(2_000_000);

export const ContextKindSchema = z.enum(['selection', 'file', 'problems']);
export type ContextKind = z.infer<typeof ContextKindSchema>;

export const ContextChipSchema = z.object({
  id: Id,
  kind: ContextKindSchema,
  label: z.string(),
  tokens: z.number().int().nonnegative(),
});
export type ContextChip = z.infer<typeof ContextChipSchema>;

/** A composer slash command as the completion list shows it. */
export const ComposerCommandSchema = z.object({
  slash: z.string().regex(/^\/[a-z][\w-]*$/),
  label: z.string().max(100),
  description: z.string().max(300),
});
export type ComposerCommand = z.infer<typeof ComposerCommandSchema>;

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), text: Text.min(1) }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('regenerate'), messageId: Id }),
  /** Continue an answer cut at the token limit, in the same message. */
  z.object({ type: z.literal('continue'), messageId: Id }),
  z.object({ type: z.literal('editAndResend'), messageId: Id, text: Text.min(1) }),
  z.object({ type: z.literal('openLink'), url: z.string().max(8192) }),
  z.object({ type: z.literal('copyText'), text: Text }),
  z.object({ type: z.literal('insertCode'), code: Text }),
  z.object({ type: z.literal('applyCode'), code: Text, language: z.string().max(100).optional() }),
  z.object({ type: z.literal('openCode'), code: Text, language: z.string().max(100).optional() }),
  z.object({ type: z.literal('selectConversation'), id: Id }),
  z.object({ type: z.literal('renameConversation'), id: Id, title: z.string().min(1).max(200) }),
  z.object({ type: z.literal('deleteConversation'), id: Id }),
  z.object({ type: z.literal('undoDelete') }),
  z.object({ type: z.literal('searchConversations'), query: z.string().max(500) }),
  z.object({ type: z.literal('exportConversation'), id: Id }),
  z.object({ type: z.literal('selectProvider'), providerId: Id }),
  z.object({ type: z.literal('selectModel'), model: z.string().min(1).max(500) }),
  /** The empty state's next steps: run Set API Key for this provider, or Download Model. */
  z.object({ type: z.literal('setApiKey'), providerId: Id }),
  z.object({ type: z.literal('downloadModel') }),
  /** An error's Select Model… button: run Select Model (its quick pick) for the open conversation's provider. */
  z.object({ type: z.literal('pickModel') }),
  z.object({ type: z.literal('attachContext'), kind: ContextKindSchema }),
  z.object({ type: z.literal('removeContext'), id: Id }),
  /** Open Compare Models with the composer's prompt (empty: the panel's own). */
  z.object({ type: z.literal('compare'), text: Text }),
  /** `#file:` completion: workspace files whose path matches `query`; answered by `fileMatches` with the same id. */
  z.object({ type: z.literal('findFiles'), requestId: z.number().int().nonnegative(), query: z.string().max(500) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

export const ProviderOptionSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['local', 'remote']),
  /** Its API key is one Set API Key manages (an error asking for a key then offers to set it). */
  keyed: z.boolean().optional(),
});
export type ProviderOption = z.infer<typeof ProviderOptionSchema>;

export const StatusSchema = z.object({
  providerId: z.string(),
  providerLabel: z.string(),
  model: z.string().optional(),
  /** Where the next answer will come from: the API's host, or `this computer`. */
  endpoint: z.string().optional(),
  models: z.array(z.string()).optional(),
  /** Why the provider's model list could not be fetched (the picker says so, and still takes a typed name). */
  modelsError: z.string().optional(),
  /** What this user should do before asking (the empty state offers it): a key for this API, a real local model. */
  nextStep: z.enum(['setApiKey', 'downloadModel']).optional(),
  device: z.string().optional(),
  /** Shown beside the device: its GPU adapter, the weight variant, a device given up. */
  deviceDetail: z.string().optional(),
  deviceNote: z.string().optional(),
  contextUsed: z.number().int().nonnegative().optional(),
  contextWindow: z.number().int().positive().optional(),
  lastStats: AnswerStatsSchema.optional(),
  /** What the open conversation's answers cost so far, per currency. */
  conversationCost: z.array(CostSchema).optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const HostToWebviewSchema = z.discriminatedUnion('type', [
  /** Full snapshot: sent once after `ready` and when the conversation is switched. */
  z.object({
    type: z.literal('init'),
    conversation: ConversationSchema,
    conversations: z.array(ConversationSummarySchema),
    providers: z.array(ProviderOptionSchema),
    status: StatusSchema,
    generating: z.boolean(),
    chips: z.array(ContextChipSchema),
  }),
  z.object({ type: z.literal('conversations'), conversations: z.array(ConversationSummarySchema), query: z.string().optional() }),
  z.object({ type: z.literal('messageAdded'), message: StoredMessageSchema }),
  /** Messages from this id on were removed (edit-and-resend, regenerate). */
  z.object({ type: z.literal('messagesTruncated'), fromMessageId: Id }),
  z.object({ type: z.literal('delta'), messageId: Id, text: z.string() }),
  /** More of the answer's reasoning (its "Thinking" section), streamed apart from the text. */
  z.object({ type: z.literal('reasoningDelta'), messageId: Id, text: z.string() }),
  z.object({
    type: z.literal('messageDone'),
    messageId: Id,
    status: MessageStatusSchema,
    error: ErrorInfoSchema.optional(),
    usage: UsageSchema.optional(),
    stats: AnswerStatsSchema.optional(),
  }),
  /** The view-title History icon (or its keybinding): open or close the conversation list. */
  z.object({ type: z.literal('showConversations') }),
  z.object({ type: z.literal('generating'), generating: z.boolean() }),
  z.object({ type: z.literal('status'), status: StatusSchema }),
  z.object({ type: z.literal('chips'), chips: z.array(ContextChipSchema) }),
  /** The composer's slash commands (sent once the panel is ready). */
  z.object({ type: z.literal('composerCommands'), commands: z.array(ComposerCommandSchema).max(50) }),
  /** A sent message the host could not send as written (a mention it cannot attach): back into the composer. */
  z.object({ type: z.literal('restoreDraft'), text: Text }),
  /** The answer to `findFiles` number `requestId`: workspace-relative paths, best first. */
  z.object({ type: z.literal('fileMatches'), requestId: z.number().int().nonnegative(), files: z.array(z.string().max(1000)).max(100) }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string(), undo: z.boolean().optional() }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;
