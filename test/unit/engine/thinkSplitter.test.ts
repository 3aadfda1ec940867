import * as assert from 'node:assert/strict';
import { promptOpensThinking, ThinkSplitter, type SplitPiece } from '../../../src/engine/thinkSplitter';

interface Split {
  reasoning: string;
  answer: string;
  /** The kinds in the order they came out, merged: ['reasoning', 'answer'] for a well-formed answer. */
  order: string[];
}

function run(pieces: string[], startsInside = false): Split {
  const splitter = new ThinkSplitter({ startsInside });
  const out: SplitPiece[] = [];
  for (const piece of pieces) out.push(...splitter.push(piece));
  out.push(...splitter.flush());
  const order = out.map((p) => p.kind).filter((kind, i, all) => kind !== all[i - 1]);
  const join = (kind: SplitPiece['kind']): string => out.filter((p) => p.kind === kind).map((p) => p.text).join('');
  return { reasoning: join('reasoning'), answer: join('answer'), order };
}

/** Every way to cut `text` in two and in three, and one character at a time. */
function cuts(text: string): string[][] {
  const all: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) {
    all.push([text.slice(0, i), text.slice(i)]);
    for (let j = i + 1; j < text.length; j++) all.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  }
  return all;
}

describe('ThinkSplitter', () => {
  it('splits <think>…</think> from the answer however the text is cut into chunks', () => {
    const text = '<think>\nThe user greets me. I greet back.\n</think>\n\nHello **there**!';
    for (const pieces of cuts(text)) {
      assert.deepEqual(run(pieces), { reasoning: 'The user greets me. I greet back.\n', answer: 'Hello **there**!', order: ['reasoning', 'answer'] }, JSON.stringify(pieces));
    }
  });

  it('starts inside the block when the prompt opened it: the output has only </think>', () => {
    const text = 'Okay, 2 + 2 is 4.</think>\n\nIt is **4**.';
    for (const pieces of cuts(text)) {
      assert.deepEqual(run(pieces, true), { reasoning: 'Okay, 2 + 2 is 4.', answer: 'It is **4**.', order: ['reasoning', 'answer'] }, JSON.stringify(pieces));
    }
  });

  it('keeps a thought that never closed (stopped, or cut at the token limit) as thought, with a partial tag', () => {
    assert.deepEqual(run(['<think>Still thinking about it</th']), { reasoning: 'Still thinking about it</th', answer: '', order: ['reasoning'] });
    assert.deepEqual(run(['Halfway through', ' a thought'], true), { reasoning: 'Halfway through a thought', answer: '', order: ['reasoning'] });
  });

  it('leaves an answer without a thinking block untouched, leading whitespace and all', () => {
    for (const pieces of cuts('  Hi <b>')) assert.deepEqual(run(pieces), { reasoning: '', answer: '  Hi <b>', order: ['answer'] });
    assert.deepEqual(run(['<thin', 'king> is not a tag']), { reasoning: '', answer: '<thinking> is not a tag', order: ['answer'] });
    assert.deepEqual(run(['<']), { reasoning: '', answer: '<', order: ['answer'] });
  });

  it('recognises a block only at the start, and only one: later tags are answer text', () => {
    assert.deepEqual(run(['Use <think>x</think> tags']), { reasoning: '', answer: 'Use <think>x</think> tags', order: ['answer'] });
    assert.deepEqual(run(['<think>a</think>b<think>c</think>']), { reasoning: 'a', answer: 'b<think>c</think>', order: ['reasoning', 'answer'] });
  });

  it('drops an empty block (thinking turned off in the output) without a reasoning piece', () => {
    assert.deepEqual(run(['<think>\n\n</think>\n\nAnswer']), { reasoning: '', answer: 'Answer', order: ['answer'] });
  });

  it('reports its phase, so the engine can count the tokens spent thinking', () => {
    const splitter = new ThinkSplitter();
    assert.equal(splitter.phase, 'start');
    splitter.push('<think>');
    assert.equal(splitter.phase, 'reasoning');
    splitter.push('hmm</thi');
    assert.equal(splitter.phase, 'reasoning');
    splitter.push('nk>ok');
    assert.equal(splitter.phase, 'answer');
  });
});

describe('promptOpensThinking', () => {
  const conversation = '<|im_start|>user\nhi <think><|im_end|>\n';
  it('is true when the generation prompt opens <think> and leaves it open', () => {
    assert.equal(promptOpensThinking(`${conversation}<|im_start|>assistant\n<think>\n`, conversation), true);
  });
  it('is false when the generation prompt closes it again (Qwen3 with enable_thinking false) or has none', () => {
    assert.equal(promptOpensThinking(`${conversation}<|im_start|>assistant\n<think>\n\n</think>\n\n`, conversation), false);
    assert.equal(promptOpensThinking(`${conversation}<|im_start|>assistant\n`, conversation), false, 'a <think> the user typed does not count');
  });
  it('falls back to the prompt\'s end when the template cannot render without a generation prompt', () => {
    assert.equal(promptOpensThinking('<｜User｜>hi<｜Assistant｜><think>\n', undefined), true);
    assert.equal(promptOpensThinking('<｜User｜>hi<｜Assistant｜>', undefined), false);
  });
});
