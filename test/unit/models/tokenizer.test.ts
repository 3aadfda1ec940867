// The generated tokenizer is a real byte-level BPE that @huggingface/tokenizers loads, sized to the model.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { ensureModel } from '../../../models/testModels';

function loadTokenizer(dir: string): Tokenizer {
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object;
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  return new Tokenizer(json, config);
}

describe('generated tokenizer', () => {
  let tok: Tokenizer;
  let dir: string;
  before(async () => {
    dir = await ensureModel('tiny-standard-tjs');
    tok = loadTokenizer(dir);
  });

  it('round-trips multi-byte UTF-8 text and code', () => {
    for (const text of ['héllo 世界 🔥', 'const x = a?.b ?? "ü";\n\tif (x) { return 42; }', '  leading spaces and\r\nCRLF ']) {
      const { ids } = tok.encode(text, { add_special_tokens: false });
      assert.equal(tok.decode(ids), text);
    }
  });

  it('has exactly vocab_size ids, every one of which decodes', () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { vocab_size: number; eos_token_id: number };
    for (let id = 0; id < config.vocab_size; id++) assert.equal(typeof tok.id_to_token(id), 'string', `id ${id}`);
    assert.equal(tok.id_to_token(config.vocab_size), undefined);
    assert.equal(tok.id_to_token(config.eos_token_id), '<|im_end|>');
    assert.ok(tok.decode([65, 300, 511]).length > 0);
  });

  it('keeps ChatML special tokens whole and renders the chat template', () => {
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as { chat_template: string };
    const prompt = new Template(config.chat_template).render({
      messages: [{ role: 'user', content: 'Hi' }],
      add_generation_prompt: true,
    });
    assert.equal(prompt, '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    const { tokens } = tok.encode(prompt);
    assert.equal(tokens.filter((t) => t === '<|im_start|>').length, 3);
    assert.equal(tokens.filter((t) => t === '<|im_end|>').length, 2);
  });
});
