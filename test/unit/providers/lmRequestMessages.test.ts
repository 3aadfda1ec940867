// VS Code language-model messages as the engine's messages (the part classes are mapped in the extension).
import * as assert from 'node:assert/strict';
import { conversationKey, textOfLmMessage, toEngineMessages, type LmMessage } from '../../../src/providers/local/lmRequestMessages';

describe('language-model request messages', () => {
  const conversation: LmMessage[] = [
    { role: 'user', parts: [{ kind: 'text', value: 'What is the weather ' }, { kind: 'text', value: 'in Paris?' }] },
    { role: 'assistant', parts: [{ kind: 'text', value: 'Checking.' }, { kind: 'toolCall', callId: 'c1', name: 'get_weather', input: { city: 'Paris' } }] },
    { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', text: 'Sunny, 21 C' }] },
    { role: 'assistant', parts: [{ kind: 'text', value: 'It is sunny.' }] },
    { role: 'user', parts: [{ kind: 'toolResult', callId: 'c2', text: 'late result' }, { kind: 'text', value: 'And tomorrow?' }] },
  ];

  it('keeps roles and joins text parts; tool calls stay on the assistant turn, results become tool messages before the user text', () => {
    assert.deepEqual(toEngineMessages(conversation), [
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', content: 'Sunny, 21 C', toolCallId: 'c1' },
      { role: 'assistant', content: 'It is sunny.' },
      { role: 'tool', content: 'late result', toolCallId: 'c2' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('keeps system instructions as a system message', () => {
    assert.deepEqual(toEngineMessages([{ role: 'system', parts: [{ kind: 'text', value: 'Be brief.' }] }, { role: 'user', parts: [{ kind: 'text', value: 'Hi' }] }]), [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('drops turns with nothing in them', () => {
    assert.deepEqual(toEngineMessages([{ role: 'user', parts: [] }, { role: 'assistant', parts: [{ kind: 'text', value: '' }] }, { role: 'user', parts: [{ kind: 'text', value: 'Hi' }] }]), [
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('counts a message by its text, calls and results', () => {
    assert.equal(textOfLmMessage(conversation[1] as LmMessage), 'Checking.\n{"name":"get_weather","arguments":{"city":"Paris"}}');
  });

  it('keys a conversation by its model and first question, so follow-ups reuse the engine prefix cache', () => {
    const first = toEngineMessages(conversation.slice(0, 1));
    const followUp = toEngineMessages(conversation);
    assert.equal(conversationKey('m', first), conversationKey('m', followUp));
    assert.notEqual(conversationKey('m', first), conversationKey('other', first));
    assert.notEqual(conversationKey('m', first), conversationKey('m', [{ role: 'user', content: 'Something else' }]));
    assert.equal(conversationKey('m', [{ role: 'assistant', content: 'x' }]), undefined);
  });
});
