// The wired demo model writes its fixed sentence under greedy decoding, whatever the prompt.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { DEMO_SENTENCE } from '../../../models/tokenizer/corpus';
import { ensureModel, type TestModelName } from '../../../models/testModels';
import { argmax, DecoderRunner } from './decoderRunner';

for (const name of ['demo-tjs', 'demo-genai'] as TestModelName[]) {
  describe(`demo model ${name}`, () => {
    it('greedily writes the demo sentence and then <|im_end|> for any ChatML prompt', async () => {
      const dir = await ensureModel(name);
      const read = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
      const config = read('tokenizer_config.json');
      const tok = new Tokenizer(read('tokenizer.json'), config);
      const imEnd = tok.token_to_id('<|im_end|>');
      const runner = await DecoderRunner.open(dir);
      try {
        for (const question of ['What is 2+2?', 'Écris un poème sur la mer 🌊']) {
          const prompt = new Template(String(config.chat_template)).render({ messages: [{ role: 'user', content: question }], add_generation_prompt: true });
          const ids = tok.encode(prompt).ids;
          let step = await runner.step(ids, runner.emptyPast(), 0);
          const out: number[] = [];
          for (let n = ids.length; out.length < 40; n++) {
            const next = argmax(step.logits[step.logits.length - 1]);
            if (next === imEnd) break;
            out.push(next);
            step = await runner.step([next], step.present, n);
          }
          assert.equal(tok.decode(out), DEMO_SENTENCE);
        }
      } finally {
        await runner.release();
      }
    });
  });
}
