// Streams one side of a comparison into its own conversation. A failure here ends this side only: it
// is recorded on the answer (as the chat view records it), never thrown at the other side.
import type { ChatMessage, Conversation, StoredMessage } from '../protocol/chat';
import { isAbortError, type ChatProvider } from '../providers/types';
import { toErrorInfo } from './chatController';
import type { SideTimes } from './compareStats';

export interface SideStreamDeps {
  getProvider(id: string): Promise<ChatProvider>;
  /** Throttled save while the answer grows (a crash loses at most the last moment of it). */
  scheduleSave(conversation: Conversation): void;
  onDelta(text: string): void;
  onReasoning(text: string): void;
  /** The answer text so far was thinking (a server's lone </think> said so): the panel moves it. */
  onAnswerWasReasoning(): void;
  now(): number;
}

/** Fills `answer` (the last message of `conversation`) and returns when the stream ended, however it ended. */
export async function streamSide(
  deps: SideStreamDeps,
  conversation: Conversation,
  answer: StoredMessage,
  prompt: ChatMessage[],
  signal: AbortSignal,
): Promise<SideTimes> {
  const times: SideTimes = { startedAt: deps.now(), endedAt: 0 };
  try {
    const provider = await deps.getProvider(answer.providerId ?? '');
    const request = { conversationId: conversation.id, messages: prompt, ...(answer.model ? { model: answer.model } : {}) };
    for await (const event of provider.chat(request, signal)) {
      if (event.type === 'delta') {
        times.firstAnswerAt ??= deps.now();
        times.firstTokenAt ??= times.firstAnswerAt;
        answer.content += event.text;
        deps.onDelta(event.text);
        deps.scheduleSave(conversation);
      } else if (event.type === 'reasoning') {
        // Thinking is the model at work: it starts the clock, and is kept with the answer.
        times.firstTokenAt ??= deps.now();
        times.firstReasoningAt ??= times.firstTokenAt;
        answer.reasoning = (answer.reasoning ?? '') + event.text;
        deps.onReasoning(event.text);
        deps.scheduleSave(conversation);
      } else if (event.type === 'answerWasReasoning') {
        times.firstReasoningAt ??= times.firstAnswerAt;
        times.firstAnswerAt = undefined;
        if (answer.content) {
          answer.reasoning = (answer.reasoning ?? '') + answer.content;
          answer.content = '';
          deps.onAnswerWasReasoning();
          deps.scheduleSave(conversation);
        }
      } else if (event.type === 'usage') answer.usage = event.usage;
      else if (event.type === 'stats') answer.stats = { ...answer.stats, ...event.stats };
      else if (event.type === 'finish' && event.reason === 'cancelled') answer.status = 'stopped';
      else if (event.type === 'finish' && event.reason === 'length') answer.status = 'truncated';
    }
    if (answer.status === 'streaming') answer.status = signal.aborted ? 'stopped' : 'complete';
  } catch (err) {
    if (signal.aborted || isAbortError(err)) answer.status = 'stopped';
    else {
      answer.status = 'error';
      answer.error = toErrorInfo(err);
    }
  }
  times.endedAt = deps.now();
  return times;
}
