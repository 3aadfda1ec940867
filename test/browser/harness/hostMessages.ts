// Builders for host -> webview messages, typed by the shared protocol.
import type { Conversation, ConversationSummary, StoredMessage } from '../../../src/protocol/chat';
import type { HostToWebview, Status } from '../../../src/protocol/webviewMessages';

type Init = Extract<HostToWebview, { type: 'init' }>;

let clock = 1_700_000_000_000;

export function userMessage(id: string, content: string): StoredMessage {
  return { id, role: 'user', content, createdAt: clock++, status: 'complete' };
}

export function assistantMessage(id: string, content: string, status: StoredMessage['status'] = 'complete'): StoredMessage {
  return { id, role: 'assistant', content, createdAt: clock++, status };
}

export function conversation(messages: StoredMessage[], id = 'c1', title = 'First chat'): Conversation {
  return { version: 1, id, title, createdAt: clock, updatedAt: clock, messages };
}

export const STATUS: Status = {
  providerId: 'local',
  providerLabel: 'Local',
  model: 'tiny-test-model',
  models: ['tiny-test-model', 'other-model'],
  device: 'CPU',
  deviceNote: 'No GPU found; running on 8 CPU threads',
  contextUsed: 1234,
  contextWindow: 4096,
  lastStats: { tokensPerSecond: 42.5, timeToFirstTokenMs: 180 },
};

export const SUMMARIES: ConversationSummary[] = [
  { id: 'c1', title: 'First chat', updatedAt: clock, messageCount: 2 },
  { id: 'c2', title: 'Refactoring ideas', updatedAt: clock - 1000, messageCount: 6 },
];

export function init(messages: StoredMessage[] = [], overrides: Partial<Init> = {}): Init {
  return {
    type: 'init',
    conversation: conversation(messages),
    conversations: SUMMARIES,
    providers: [
      { id: 'local', label: 'Local', kind: 'local' },
      { id: 'openai', label: 'OpenAI-compatible', kind: 'remote' },
    ],
    status: STATUS,
    generating: false,
    chips: [],
    ...overrides,
  };
}

/** The messages a host sends to stream `text` as a new assistant answer in chunks. */
export function streamedAnswer(id: string, text: string, chunkSize: number): HostToWebview[] {
  const messages: HostToWebview[] = [{ type: 'messageAdded', message: assistantMessage(id, '', 'streaming') }];
  for (let i = 0; i < text.length; i += chunkSize) messages.push({ type: 'delta', messageId: id, text: text.slice(i, i + chunkSize) });
  messages.push({ type: 'messageDone', messageId: id, status: 'complete' });
  return messages;
}
