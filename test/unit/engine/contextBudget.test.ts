import * as assert from 'node:assert/strict';
import { fitToContext } from '../../../src/engine/contextBudget';
import { EngineError } from '../../../src/engine/errors';
import type { ChatMessage } from '../../../src/protocol/chat';

/** One token per character, plus 2 per message for the template. */
const encode = (messages: readonly ChatMessage[]): number[] =>
  messages.flatMap((m) => [0, 0, ...Array.from(m.content, (c) => c.charCodeAt(0))]);

const conversation: ChatMessage[] = [
  { role: 'system', content: 'sys' }, // 5
  { role: 'user', content: 'aaaaaaaa' }, // 10
  { role: 'assistant', content: 'bbbbbbbb' }, // 10
  { role: 'user', content: 'cccccccc' }, // 10
  { role: 'assistant', content: 'dddddddd' }, // 10
  { role: 'user', content: 'eeee' }, // 6
];

describe('fitToContext', () => {
  it('leaves a prompt that fits alone', () => {
    const fitted = fitToContext(conversation, encode, 100, 200);
    assert.equal(fitted.dropped, 0);
    assert.equal(fitted.ids.length, 51);
  });

  it('drops the oldest whole turns first and keeps the system prompt and the newest message', () => {
    const fitted = fitToContext(conversation, encode, 35, 50);
    assert.equal(fitted.dropped, 2);
    assert.deepEqual(
      fitted.messages.map((m) => m.content),
      ['sys', 'cccccccc', 'dddddddd', 'eeee'],
    );
    assert.ok(fitted.ids.length <= 35);
  });

  it('never leaves an answer without its question', () => {
    // Budget 25 would fit after dropping 3 messages, but that would start with an assistant turn.
    const fitted = fitToContext(conversation, encode, 25, 50);
    assert.deepEqual(fitted.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(fitted.dropped, 4);
  });

  it('fails with contextTooLong when the newest message alone does not fit', () => {
    assert.throws(
      () => fitToContext(conversation, encode, 10, 20),
      (err: unknown) => err instanceof EngineError && err.kind === 'contextTooLong' && /context window is 20 tokens/.test(err.message),
    );
  });
});
