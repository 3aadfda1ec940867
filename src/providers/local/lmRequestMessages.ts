// VS Code language-model requests (User/Assistant messages of text, tool-call and tool-result parts)
// as the engine's messages. Kept free of `vscode` so it is unit-tested in plain Node: the extension
// maps VS Code's part classes onto `LmPart` (src/extension/localLanguageModels.ts).
import { createHash } from 'node:crypto';
import type { EngineMessage, ToolCall } from '../../protocol/engine';

export type LmPart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: Record<string, unknown> }
  | { kind: 'toolResult'; callId: string; text: string };

export interface LmMessage {
  /** 'system': VS Code's proposed System role (3), which VS Code's own chat sends to providers. */
  role: 'system' | 'user' | 'assistant';
  parts: LmPart[];
}

/**
 * One engine message per turn; a user turn's tool results come first, each as a `tool` message (the
 * template lays them out as the model was trained to read them), then the user's own text if any.
 * An assistant turn keeps its calls, so a follow-up renders the same prompt the model wrote into and
 * the engine's prefix cache serves it.
 */
export function toEngineMessages(messages: readonly LmMessage[]): EngineMessage[] {
  const out: EngineMessage[] = [];
  for (const message of messages) {
    const text = message.parts.flatMap((p) => (p.kind === 'text' ? [p.value] : [])).join('');
    if (message.role === 'assistant') {
      const toolCalls: ToolCall[] = message.parts.flatMap((p) => (p.kind === 'toolCall' ? [{ id: p.callId, name: p.name, arguments: p.input }] : []));
      if (!text && toolCalls.length === 0) continue;
      out.push({ role: 'assistant', content: text, ...(toolCalls.length ? { toolCalls } : {}) });
      continue;
    }
    if (message.role === 'system') {
      if (text) out.push({ role: 'system', content: text });
      continue;
    }
    for (const p of message.parts) {
      if (p.kind === 'toolResult') out.push({ role: 'tool', content: p.text, toolCallId: p.callId });
    }
    if (text) out.push({ role: 'user', content: text });
  }
  return out;
}

/** The text of a message for counting its tokens: its text, calls as JSON and results. */
export function textOfLmMessage(message: LmMessage): string {
  return message.parts
    .map((p) => (p.kind === 'text' ? p.value : p.kind === 'toolResult' ? p.text : JSON.stringify({ name: p.name, arguments: p.input })))
    .join('\n');
}

/**
 * VS Code gives a provider no conversation id. The first user message (with the model) names a
 * conversation well enough: follow-ups share it, and the engine reuses only the common prefix anyway.
 */
export function conversationKey(modelId: string, messages: readonly EngineMessage[]): string | undefined {
  const first = messages.find((m) => m.role === 'user');
  if (!first) return undefined;
  return `vscode-lm:${createHash('sha256').update(`${modelId}\n${first.content}`).digest('hex').slice(0, 16)}`;
}
