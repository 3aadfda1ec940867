import * as assert from 'node:assert/strict';
import { LiveSpeed } from '../../../src/webview/chrome/liveSpeed';

describe('LiveSpeed (status line while an answer streams)', () => {
  it('counts the streaming answer and its rate from the first token, and forgets it when done', () => {
    let now = 1_000;
    const speed = new LiveSpeed(() => now);
    assert.equal(speed.text(), undefined, 'nothing before an answer streams');
    speed.start('a1');
    assert.equal(speed.text(), undefined, 'nothing before the first token');
    assert.equal(speed.delta('a1'), true);
    assert.equal(speed.text(), '1 token');
    now += 250;
    speed.delta('a1');
    assert.equal(speed.delta('other'), false, 'a delta for another message does not count');
    now += 250;
    speed.delta('a1');
    // 2 tokens after the first in 0.5 s.
    assert.equal(speed.text(), '3 tokens · 4.0 tok/s');
    speed.stop('other');
    assert.equal(speed.text(), '3 tokens · 4.0 tok/s', 'another message finishing does not end this one');
    speed.stop('a1');
    assert.equal(speed.text(), undefined);
    speed.start('a2');
    speed.delta('a2');
    assert.equal(speed.text(), '1 token', 'a new answer starts from zero');
  });
});
