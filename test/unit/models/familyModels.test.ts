// The family test models (models/families.ts) as files: each graph has its family's published
// input/output names, dtypes and shapes, computes the reference forward pass at every position,
// and its folder carries the family's config fields; the family templates use the features the
// families' own templates use.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { inverseFrequencies, rotaryScale } from '../../../models/architecture';
import { familyTokenizer } from '../../../models/familyFiles';
import { FAMILIES } from '../../../models/families';
import { GEMMA3_TEMPLATE, LLAMA32_TEMPLATE, QWEN3_TEMPLATE } from '../../../models/familyTemplates';
import { resolveOptions } from '../../../models/generator';
import { readManifest, referenceLogits } from '../../../models/referenceForward';
import { ensureModel, type TestModelName } from '../../../models/testModels';
import { rotaryTables } from '../../../models/weights';
import { ChatTemplate } from '../../../src/engine/chatTemplate';
import { catalog } from '../../../src/hub/catalog';
import { DecoderRunner, maxAbsDiff } from './decoderRunner';

type Json = Record<string, unknown>;
const readJson = (dir: string, file: string): Json => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
const PROMPT = [17, 301, 5, 88, 460, 12, 250, 99, 3, 401, 77];

/** gqa: GroupQueryAttention takes positions from the mask (no position_ids), as onnxruntime-genai's and onnx-community's -GQA exports do. */
const models: { name: TestModelName; genai: boolean; gqa: boolean }[] = [
  { name: 'family-qwen2.5-tjs', genai: false, gqa: false },
  { name: 'family-qwen2.5-coder-tjs', genai: false, gqa: false },
  { name: 'family-qwen3-tjs', genai: false, gqa: false },
  { name: 'family-llama3.2-tjs', genai: false, gqa: false },
  { name: 'family-gemma3-tjs', genai: false, gqa: false },
  { name: 'family-smollm2-tjs', genai: false, gqa: false },
  { name: 'family-deepseek-r1-distill-qwen-tjs', genai: false, gqa: false },
  { name: 'family-phi3.5-genai', genai: true, gqa: true },
  { name: 'family-phi4-mini-genai', genai: true, gqa: true },
  { name: 'family-phi4-mini-tjs', genai: false, gqa: true },
];

for (const m of models) {
  describe(`family test model ${m.name}`, () => {
    let dir: string;
    let runner: DecoderRunner;
    before(async () => {
      dir = await ensureModel(m.name);
      runner = await DecoderRunner.open(dir);
    });
    after(async () => runner?.release());

    it('declares the published inputs and outputs, with their dtypes and shapes', () => {
      const familyId = readManifest(dir).options.family;
      assert.ok(familyId);
      const family = FAMILIES[familyId];
      const s = family.shape;
      const inputs = Object.fromEntries(runner.session.inputMetadata.map((i) => [i.name, i]));
      const outputs = Object.fromEntries(runner.session.outputMetadata.map((o) => [o.name, o]));
      const plain = m.gqa ? ['input_ids', 'attention_mask'] : ['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep'];
      const past = Array.from({ length: s.numLayers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat();
      assert.deepEqual(Object.keys(inputs).sort(), [...plain, ...past].sort());
      assert.deepEqual(Object.keys(outputs), ['logits', ...past.map((n) => n.replace('past_key_values', 'present'))]);
      for (const name of ['input_ids', 'attention_mask']) {
        const meta = inputs[name];
        assert.ok(meta?.isTensor);
        assert.equal(meta.type, 'int64');
      }
      const kv = inputs['past_key_values.0.key'];
      assert.ok(kv?.isTensor);
      assert.equal(kv.type, 'float32');
      assert.deepEqual(kv.shape, ['batch_size', s.numKvHeads, 'past_sequence_length', s.headDim]);
      const logits = outputs['logits'];
      assert.ok(logits?.isTensor);
      assert.equal(logits.shape.at(-1), s.vocabSize);
    });

    it('computes the TypeScript reference forward pass at every position', async () => {
      const reference = referenceLogits(dir, PROMPT);
      const { logits } = await runner.step(PROMPT, runner.emptyPast(), 0);
      logits.forEach((row, p) => assert.ok(maxAbsDiff(row, reference[p] as Float32Array) < 1e-4, `position ${p}: ${maxAbsDiff(row, reference[p] as Float32Array)}`));
    });

    it(m.genai ? 'is a genai folder: genai_config.json naming the graph, model.onnx + model.onnx.data, and config.json' : 'is a transformers.js folder: config.json, generation_config.json, onnx/model*.onnx', () => {
      for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) assert.ok(existsSync(join(dir, f)), f);
      if (m.genai) {
        const genai = readJson(dir, 'genai_config.json') as { model: { type: string; decoder: { inputs: Json; filename: string } } };
        assert.equal(genai.model.type, 'phi3');
        assert.equal(genai.model.decoder.inputs['position_ids'], undefined);
        assert.ok(existsSync(join(dir, 'model.onnx.data')));
        // As in Microsoft's folders; the engine must read genai_config.json first.
        assert.equal(readJson(dir, 'config.json')['model_type'], 'phi3');
      } else {
        assert.ok(existsSync(join(dir, 'generation_config.json')));
        assert.ok(existsSync(join(dir, 'onnx', m.gqa ? 'model_q4.onnx' : 'model.onnx')));
      }
    });
  });
}

describe('family config fields as published', () => {
  it('Qwen3 and Gemma 3 state a head_dim that is not hidden_size / num_attention_heads', async () => {
    for (const name of ['family-qwen3-tjs', 'family-gemma3-tjs'] as const) {
      const c = readJson(await ensureModel(name), 'config.json');
      assert.notEqual(c['head_dim'], (c['hidden_size'] as number) / (c['num_attention_heads'] as number), name);
    }
    const gemma = readJson(await ensureModel('family-gemma3-tjs'), 'config.json');
    assert.equal(gemma['head_dim'], 256);
    assert.equal(gemma['model_type'], 'gemma3_text');
    assert.equal(gemma['query_pre_attn_scalar'], 256);
  });

  it("Llama 3.2 has llama3 rope scaling; its end-of-turn ids are generation_config.json's three, config.json names one", async () => {
    const dir = await ensureModel('family-llama3.2-tjs');
    const c = readJson(dir, 'config.json');
    assert.deepEqual(c['rope_scaling'], { factor: 32, high_freq_factor: 4, low_freq_factor: 1, original_max_position_embeddings: 8192, rope_type: 'llama3' });
    assert.equal(typeof c['eos_token_id'], 'number');
    const generation = readJson(dir, 'generation_config.json')['eos_token_id'] as number[];
    assert.equal(generation.length, 3);
    assert.ok(generation.includes(c['eos_token_id'] as number));
  });

  it("Gemma 3's tokenizer says <eos> while its configs end turns at <end_of_turn> too", async () => {
    const dir = await ensureModel('family-gemma3-tjs');
    assert.equal(readJson(dir, 'tokenizer_config.json')['eos_token'], '<eos>');
    assert.equal((readJson(dir, 'generation_config.json')['eos_token_id'] as number[]).length, 2);
  });

  it('Phi-3.5 and Phi-4-mini list several eos ids in genai_config.json; Phi-4-mini rotates 0.75 of each head', async () => {
    const phi35 = readJson(await ensureModel('family-phi3.5-genai'), 'genai_config.json') as { model: { eos_token_id: number[] } };
    assert.equal(phi35.model.eos_token_id.length, 3);
    const phi4 = readJson(await ensureModel('family-phi4-mini-genai'), 'genai_config.json') as { model: { eos_token_id: number[] } };
    assert.equal(phi4.model.eos_token_id.length, 2);
    const a = FAMILIES['phi4-mini'].arch;
    assert.equal(a.rotaryDim / FAMILIES['phi4-mini'].shape.headDim, 0.75);
    const config = readJson(await ensureModel('family-phi4-mini-tjs'), 'config.json');
    assert.equal(config['partial_rotary_factor'], 0.75);
    assert.equal(config['head_dim'], undefined, 'Phi-3 configs state no head_dim: hidden / heads must be it');
    assert.equal((config['hidden_size'] as number) / (config['num_attention_heads'] as number), FAMILIES['phi4-mini'].shape.headDim);
  });
});

describe('family rope scaling (transformers\' formulas)', () => {
  it('llama3: high frequencies kept, low ones divided by the factor, the band between blended', () => {
    const f = FAMILIES['llama3.2'];
    const inv = inverseFrequencies(f.shape, f.arch);
    const base = (i: number): number => 1 / Math.pow(500000, (2 * i) / 16);
    assert.equal(inv[0], base(0));
    assert.ok(Math.abs((inv[7] as number) - base(7) / 32) < 1e-15);
    // i = 4: wavelength 2*pi*707 = 4443, between 8192/4 and 8192/1.
    const smooth = (8192 / ((2 * Math.PI) / base(4)) - 1) / 3;
    assert.ok(Math.abs((inv[4] as number) - ((1 - smooth) * (base(4) / 32) + smooth * base(4))) < 1e-15);
  });

  it("longrope: cos and sin scaled by Phi's attention factor sqrt(1 + ln(max / original) / ln original)", () => {
    const f = FAMILIES['phi3.5'];
    // The tiny model's 2048 of an original 512 (the real 131072 of 4096 give 1.19).
    const factor = Math.sqrt(1 + Math.log(4) / Math.log(512));
    assert.ok(Math.abs(rotaryScale(f.arch) - factor) < 1e-12);
    assert.ok(Math.abs((rotaryTables(f.shape, f.arch).cos[0] as number) - factor) < 1e-6);
  });

  it('a plain rope (Qwen2) is unscaled', () => {
    assert.equal(rotaryScale(FAMILIES['qwen2.5'].arch), 1);
  });
});

describe('family chat templates: the features the families use', () => {
  const user = [{ role: 'user', content: 'Hi' }];

  it('Qwen3 turns thinking off with enable_thinking=false (an empty think block), on by default', () => {
    const t = new Template(QWEN3_TEMPLATE);
    const on = t.render({ messages: user, add_generation_prompt: true });
    assert.ok(on.endsWith('<|im_start|>assistant\n'), on);
    assert.equal(t.render({ messages: user, add_generation_prompt: true, enable_thinking: true }), on);
    const off = t.render({ messages: user, add_generation_prompt: true, enable_thinking: false });
    assert.equal(off, `${on}<think>\n\n</think>\n\n`);
  });

  it("Llama 3.2 dates its system header with date_string, else strftime_now('%d %b %Y')", () => {
    // The engine's renderer (its strftime_now in the C locale, from the clock given here).
    const t = new ChatTemplate(LLAMA32_TEMPLATE, () => new Date(2026, 11, 5));
    const base = { messages: user, add_generation_prompt: true, bos_token: '<|begin_of_text|>' };
    assert.ok(t.render(base).includes('Today Date: 05 Dec 2026\n'));
    assert.ok(t.render({ ...base, date_string: '26 Jul 2024' }).includes('Today Date: 26 Jul 2024\n'));
  });

  it('Gemma 3 raises on a system message that is not first, and without a generation prompt ends after the last turn', () => {
    const t = new Template(GEMMA3_TEMPLATE);
    assert.throws(() => t.render({ messages: [...user, { role: 'system', content: 'x' }], bos_token: '<bos>' }), /no system role/);
    assert.equal(t.render({ messages: user, bos_token: '<bos>', add_generation_prompt: false }), '<bos><start_of_turn>user\nHi<end_of_turn>\n');
  });
});

describe('family generator options', () => {
  it('refuses a wired end without a family, and a family at another shape', () => {
    assert.throws(() => resolveOptions({ shape: 'tiny', layout: 'transformersjs', attention: 'standard', wiredEnd: '<|im_end|>' }), /family/);
    assert.throws(() => resolveOptions({ shape: 'qwen2.5-0.5b', layout: 'transformersjs', attention: 'standard', family: 'qwen3' }), /tiny/);
  });

  it('keeps the manifests of the older models unchanged (no family field when none is given)', () => {
    assert.ok(!('family' in resolveOptions({ shape: 'tiny', layout: 'transformersjs', attention: 'standard' })));
  });
});

describe('the catalog and the family test models', () => {
  it("has a family test model for every catalog entry's family, with the entry's model_type and layout", () => {
    for (const entry of catalog().models) {
      const family = (FAMILIES as Record<string, (typeof FAMILIES)[keyof typeof FAMILIES] | undefined>)[entry.family];
      assert.ok(family, `${entry.id}: no family test model for "${entry.family}" in models/families.ts`);
      const modelType = family.genai?.type ?? family.config(familyTokenizer(family))['model_type'];
      assert.equal(modelType, entry.modelType, entry.id);
      assert.ok(family.layouts.includes(entry.layout === 'genai' ? 'genai' : 'transformersjs'), `${entry.id}: ${entry.layout}`);
    }
  });
});
