// Reasoning output of the local engine: a template whose generation prompt opens <think> (as
// DeepSeek-R1-Distill's does) makes the whole answer thought until </think>; hearth.local.thinking
// `off` renders templates that read `enable_thinking` with it false. The wired demo model writes
// its one sentence whatever the prompt, so where that sentence lands shows what the engine did.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SENTENCE } from '../../../models/tokenizer/corpus';
import { loadModel, type LoadedModel } from '../../../src/engine';
import { answer, copyOfModel, greedy, removeModelCopies } from './engineTestSupport';

const turns = "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}";
/** Always opens the thinking block, as DeepSeek-R1-Distill's template does. */
const alwaysThinks = `${turns}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}`;
/** Opens it unless enable_thinking is false, then writes an empty block, as Qwen3's does. */
const switchable =
  `${turns}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}` +
  "{% if enable_thinking is defined and enable_thinking is false %}{{ '<think>\\n\\n</think>\\n\\n' }}{% else %}{{ '<think>\\n' }}{% endif %}{% endif %}";

async function demoWithTemplate(template: string): Promise<LoadedModel> {
  const dir = await copyOfModel('demo-tjs');
  const file = join(dir, 'tokenizer_config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, chat_template: template }));
  return loadModel(dir, { device: 'cpu', threads: 1 });
}

describe('local engine: reasoning output', () => {
  const models: LoadedModel[] = [];
  const messages = [{ role: 'user' as const, content: 'What is 2+2?' }];
  after(async () => {
    for (const m of models) await m.dispose();
    removeModelCopies();
  });

  it('a generation prompt that opens <think> makes the output thought, counted as reasoning tokens, even when it never closes', async () => {
    const model = await demoWithTemplate(alwaysThinks);
    models.push(model);
    assert.equal(model.info.thinkingSwitch, false);
    const out = await answer(model, { messages, maxNewTokens: 64, sampling: greedy });
    assert.equal(out.reasoning, DEMO_SENTENCE);
    assert.equal(out.text, '', 'nothing after </think>, since the model never wrote one');
    assert.ok(out.result.usage.completionTokens > 5);
    assert.equal(out.result.usage.reasoningTokens, out.result.usage.completionTokens);
  });

  it("hearth.local.thinking off on a template without enable_thinking changes nothing, and says so", async () => {
    const model = models[0] as LoadedModel;
    const out = await answer(model, { messages, maxNewTokens: 64, sampling: greedy, thinking: 'off' });
    assert.equal(out.reasoning, DEMO_SENTENCE);
    assert.ok(out.notices.some((n) => /hearth\.local\.thinking is off.*no enable_thinking switch/.test(n)), JSON.stringify(out.notices));
  });

  it('thinking off renders a template that reads enable_thinking with it false: the answer is text, with no reasoning', async () => {
    const model = await demoWithTemplate(switchable);
    models.push(model);
    assert.equal(model.info.thinkingSwitch, true);
    const on = await answer(model, { messages, maxNewTokens: 64, sampling: greedy });
    assert.equal(on.reasoning, DEMO_SENTENCE, 'auto leaves the template its default: thinking');
    const off = await answer(model, { messages, maxNewTokens: 64, sampling: greedy, thinking: 'off' });
    assert.equal(off.text, DEMO_SENTENCE);
    assert.equal(off.reasoning, '');
    assert.equal(off.result.usage.reasoningTokens, undefined);
    assert.deepEqual(off.notices, []);
  });

  it('an ordinary ChatML model answers as before: no reasoning, no reasoning tokens', async () => {
    const model = await demoWithTemplate(`${turns}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`);
    models.push(model);
    const out = await answer(model, { messages, maxNewTokens: 64, sampling: greedy });
    assert.equal(out.text, DEMO_SENTENCE);
    assert.equal(out.reasoning, '');
    assert.equal(out.result.usage.reasoningTokens, undefined);
  });
});
