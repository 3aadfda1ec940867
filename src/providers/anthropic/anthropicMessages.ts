// Turns Hearth's chat messages into the Messages API's shape: system text goes to the top-level `system`
// parameter, and the rest must alternate user/assistant. Consecutive same-role messages (e.g. two questions
// around a failed answer, which the prompt leaves out) are merged, and empty ones dropped, since the API
// rejects empty text blocks.
import type { ChatMessage } from '../../protocol/chat';

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AnthropicPrompt {
  /** Undefined when there is no system text. */
  system?: string;
  messages: AnthropicTurn[];
}

const separator = '\n\n';

export function toAnthropicPrompt(messages: readonly ChatMessage[]): AnthropicPrompt {
  const system: string[] = [];
  const turns: AnthropicTurn[] = [];
  for (const message of messages) {
    if (!message.content.trim()) continue;
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const last = turns.at(-1);
    if (last?.role === message.role) last.content += `${separator}${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  return { ...(system.length ? { system: system.join(separator) } : {}), messages: turns };
}
