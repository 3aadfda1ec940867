// A conversation saved in the middle of an answer (the extension host crashed or the window closed while it
// streamed) still says `streaming` on disk. Nothing will ever finish that answer, so a loaded conversation shows
// it as stopped: no endless typing cursor, and its Copy and Regenerate actions are offered again.
import type { Conversation } from '../protocol/chat';

/** Marks every answer left `streaming` in a just-loaded conversation as `stopped`; returns the same object. */
export function settleInterruptedAnswers(conversation: Conversation): Conversation {
  for (const message of conversation.messages) {
    if (message.status === 'streaming') message.status = 'stopped';
  }
  return conversation;
}
