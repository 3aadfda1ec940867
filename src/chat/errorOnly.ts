// A conversation whose one question got only an error (no key, server down) is a failed attempt, not
// something to find again in the history: it is dropped when the user moves on, unless they continued it.
import type { Conversation } from '../protocol/chat';

export function isErrorOnly(conversation: Conversation): boolean {
  const users = conversation.messages.filter((m) => m.role === 'user');
  const answers = conversation.messages.filter((m) => m.role === 'assistant');
  return users.length === 1 && answers.length === 1 && answers[0]?.status === 'error';
}
