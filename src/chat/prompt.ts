// Turns a stored conversation into the messages a provider sees.
import type { Attachment, ChatMessage, StoredMessage } from '../protocol/chat';

function fence(attachment: Attachment): string {
  // A fence longer than any backtick run inside keeps the content from closing it early.
  const longest = Math.max(2, ...Array.from(attachment.content.matchAll(/`+/g), (m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${attachment.label}:\n${ticks}${attachment.language ?? ''}\n${attachment.content}\n${ticks}`;
}

/** The text a provider sees for one user message: attached context first, then the question. */
export function userContent(message: StoredMessage): string {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return message.content;
  return [...attachments.map(fence), message.content].join('\n\n');
}

/**
 * System prompt plus every finished turn. Failed answers are left out (they hold an error, not
 * model text); stopped answers stay, since the user saw them and may refer to them.
 */
export function buildPrompt(systemPrompt: string, messages: readonly StoredMessage[]): ChatMessage[] {
  const prompt: ChatMessage[] = [];
  if (systemPrompt.trim()) prompt.push({ role: 'system', content: systemPrompt });
  for (const m of messages) {
    if (m.role === 'user') prompt.push({ role: 'user', content: userContent(m) });
    else if (m.role === 'assistant' && m.status !== 'error' && m.content) prompt.push({ role: 'assistant', content: m.content });
  }
  return prompt;
}

/** What the model is asked after the cut text of its own answer, so that it goes on instead of restarting. */
export const continueInstruction = 'Your previous answer was cut off at the length limit. Continue it exactly where it stopped, without repeating anything or adding a preamble.';

/** The same, for an answer cut while the model was still thinking: it should finish the thought, then answer. */
export const continueThinkingInstruction =
  'Your previous answer was cut off at the length limit while you were still thinking, before you began to answer. Continue the thinking where it stopped, without repeating it, then give your answer.';

/**
 * The turns that follow the conversation when Continue resumes an answer cut at the token limit:
 * its text so far, then the request to go on. Never an empty assistant turn:
 * - cut mid-answer: the answer text, as in any later prompt (its reasoning stays out);
 * - cut while still thinking (no answer text yet): the user expects the model to pick up its
 *   thought and then answer, so the thinking so far is the turn's text, in the `<think>` tag the
 *   reasoning families write and left open: templates that cut earlier answers at `</think>`
 *   (Qwen3, DeepSeek-R1) would otherwise drop all of it, and an open tag says it was cut mid-thought;
 * - cut with nothing written at all: no extra turns, so the model simply answers the question again.
 */
export function continuationTurns(cut: Pick<StoredMessage, 'content' | 'reasoning'>): ChatMessage[] {
  if (cut.content.trim()) return [{ role: 'assistant', content: cut.content }, { role: 'user', content: continueInstruction }];
  const thought = cut.reasoning?.trim();
  if (thought) return [{ role: 'assistant', content: `<think>\n${thought}` }, { role: 'user', content: continueThinkingInstruction }];
  return [];
}

/** A conversation's title: the first line of its first message, shortened. */
export function titleFrom(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0]?.replace(/\s+/g, ' ') ?? '';
  if (!line) return 'New chat';
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
}
