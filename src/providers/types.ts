// The provider interface: every model source, local or remote, streams the same events.
import type { AnswerStats, ChatMessage, ErrorInfo, ErrorKind, Usage } from '../protocol/chat';

export interface ModelInfo {
  id: string;
  label?: string;
  contextWindow?: number;
}

export interface ChatRequest {
  /** Lets a local engine keep this conversation's KV cache between turns. */
  conversationId?: string;
  messages: ChatMessage[];
  model?: string;
  maxTokens?: number;
  temperature?: number;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export type ChatEvent =
  | { type: 'delta'; text: string }
  /** The model's reasoning (thinking), streamed apart from the answer text. */
  | { type: 'reasoning'; text: string }
  /**
   * The answer text this request streamed so far was reasoning after all: a server whose template
   * opened <think> sent the thought as text, then a lone </think>. Reasoning and answer follow as usual.
   */
  | { type: 'answerWasReasoning' }
  | { type: 'usage'; usage: Usage }
  | { type: 'stats'; stats: AnswerStats }
  /** Something the user should know that is not an error, e.g. "dropped 3 old turns". */
  | { type: 'notice'; text: string }
  | { type: 'finish'; reason: FinishReason };

export interface ChatProvider {
  readonly id: string;
  readonly label: string;
  readonly kind: 'local' | 'remote';
  models(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** The model's context window in tokens, where it can be known; undefined when it cannot. */
  contextWindow?(model: string | undefined, signal?: AbortSignal): Promise<number | undefined>;
  /** Streams the answer; throws `ProviderError` on failure. Aborting the signal ends it at once. */
  chat(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatEvent>;
  dispose?(): void | Promise<void>;
}

/** A typed failure the panel can explain: `action` says what the user can do. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly action?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  toInfo(): ErrorInfo {
    return { kind: this.kind, message: this.message, ...(this.action ? { action: this.action } : {}) };
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}
