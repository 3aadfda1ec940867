import * as assert from 'node:assert/strict';
import { mergedAdjacentTurns } from '../../../src/engine/alternatingTurns';

describe('mergedAdjacentTurns', () => {
  it('joins adjacent user turns and adjacent answers, keeping the system message and the order', () => {
    assert.deepEqual(
      mergedAdjacentTurns([
        { role: 'system', content: 's' },
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: 'x' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'c' },
      ]),
      [
        { role: 'system', content: 's' },
        { role: 'user', content: 'a\n\nb' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'c' },
      ],
    );
  });

  it('says when nothing is adjacent, and leaves tool calls and tool results alone', () => {
    assert.equal(mergedAdjacentTurns([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }]), undefined);
    const call = { role: 'assistant' as const, content: '', toolCalls: [{ name: 'f', arguments: {} }] };
    assert.equal(mergedAdjacentTurns([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, call]), undefined);
  });
});
