import * as assert from 'node:assert/strict';
import { readModelFolder } from '../../../src/engine/modelFolder';
import { StreamDecoder } from '../../../src/engine/streamDecoder';
import { TextCodec } from '../../../src/engine/textCodec';
import { modelDir } from './engineTestSupport';

describe('text codec (test model tokenizer)', () => {
  let codec: TextCodec;
  before(async () => {
    codec = TextCodec.create(readModelFolder(await modelDir('tiny-standard-tjs')));
  });

  it('renders the model chat template', () => {
    const prompt = codec.renderChat([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U' },
    ]);
    assert.equal(prompt, '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n');
    assert.ok(codec.eosTokenIds.size > 0);
  });

  it('streams multi-byte characters that byte-level BPE splits across tokens, never a broken one', () => {
    const text = 'Grüße, café — 😀 and 日本語!';
    const ids = codec.encode(text);
    // With a tiny vocabulary these characters are split into byte tokens: that is the point.
    const splits = ids.filter((id) => codec.decode([id]).includes('\uFFFD')).length;
    assert.ok(splits > 0, 'the test needs tokens that hold part of a character');
    const decoder = new StreamDecoder((x) => codec.decode(x));
    const deltas = ids.map((id) => decoder.push(id));
    deltas.push(decoder.flush());
    for (const d of deltas) assert.ok(!d.includes('\uFFFD'), `broken character in ${JSON.stringify(d)}`);
    assert.equal(deltas.join(''), text);
  });

  it('falls back to ChatML when the folder has no chat template', async () => {
    const folder = readModelFolder(await modelDir('tiny-standard-tjs'));
    const plain = TextCodec.create({ ...folder, chatTemplate: undefined });
    assert.ok(plain.usesFallbackTemplate);
    assert.equal(plain.renderChat([{ role: 'user', content: 'hi' }]), '<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  });
});
