import * as assert from 'node:assert/strict';
import { StopStringFilter } from '../../../src/engine/stopStrings';

function run(stops: string[], chunks: string[]): { out: string; stopped: boolean } {
  const f = new StopStringFilter(stops);
  let out = '';
  for (const c of chunks) {
    out += f.push(c);
    if (f.stopped) return { out, stopped: true };
  }
  return { out: out + f.flush(), stopped: false };
}

describe('StopStringFilter', () => {
  it('cuts before a stop string split across deltas and never emits it', () => {
    assert.deepEqual(run(['</answer>'], ['The end', '</ans', 'wer> more']), { out: 'The end', stopped: true });
  });

  it('releases held-back text that turned out not to be a stop string', () => {
    const f = new StopStringFilter(['STOP']);
    assert.equal(f.push('go ST'), 'go ');
    assert.equal(f.push('ART'), 'START');
    assert.equal(f.flush(), '');
  });

  it('flushes a partial match at the end of the answer', () => {
    assert.deepEqual(run(['\n\nUser:'], ['Hi\n\nUs']), { out: 'Hi\n\nUs', stopped: false });
  });

  it('stops at the earliest of several stop strings', () => {
    assert.deepEqual(run(['B', 'A'], ['xxAyyB']), { out: 'xx', stopped: true });
  });

  it('passes text through untouched without stop strings', () => {
    assert.deepEqual(run([], ['a', 'b']), { out: 'ab', stopped: false });
  });
});
