import * as assert from 'node:assert/strict';
import { completionAt } from '../../../src/webview/composer/completionContext';

describe('composer completion context', () => {
  it('a slash at the start of the message completes a command', () => {
    assert.deepEqual(completionAt('/', 1), { kind: 'command', query: '', start: 0, end: 1 });
    assert.deepEqual(completionAt('/fi', 3), { kind: 'command', query: 'fi', start: 0, end: 3 });
    // Mid-word, the rest of the word is replaced too.
    assert.deepEqual(completionAt('/fix rest', 2), { kind: 'command', query: 'f', start: 0, end: 4 });
  });

  it('a slash anywhere else, or after the command, completes nothing', () => {
    assert.equal(completionAt('see /fi', 7), undefined);
    assert.equal(completionAt('/fix ', 5), undefined);
    assert.equal(completionAt('a/b', 3), undefined);
  });

  it('# completes a mention name, #file: a workspace path', () => {
    assert.deepEqual(completionAt('look at #', 9), { kind: 'mention', query: '', start: 8, end: 9 });
    assert.deepEqual(completionAt('#sel', 4), { kind: 'mention', query: 'sel', start: 0, end: 4 });
    assert.deepEqual(completionAt('see #file:src/ap', 16), { kind: 'file', query: 'src/ap', start: 4, end: 16 });
    assert.deepEqual(completionAt('#file:"My No', 12), { kind: 'file', query: 'My No', start: 0, end: 12 });
    assert.equal(completionAt('C#', 2), undefined);
    assert.equal(completionAt('#selection ', 11), undefined);
  });
});
