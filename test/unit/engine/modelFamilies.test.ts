// The engine on each model family's generated test model (models/families.ts), in each layout the
// family is published in: it loads, its logits equal the TypeScript reference forward pass, the
// family's chat template renders the family's prompt format, and answers end at the family's
// end-of-turn tokens (wired models write the demo sentence, then one of them).
import * as assert from 'node:assert/strict';
import { familyTokenizer } from '../../../models/familyFiles';
import { FAMILIES, type FamilyId } from '../../../models/families';
import { referenceLogits } from '../../../models/referenceForward';
import type { TestModelName } from '../../../models/testModels';
import { DEMO_SENTENCE } from '../../../models/tokenizer/corpus';
import { loadModel, type LoadedModel } from '../../../src/engine';
import { EngineError } from '../../../src/engine/errors';
import { StreamDecoder } from '../../../src/engine/streamDecoder';
import { SUPPORTED_MODEL_TYPES } from '../../../src/hub/hubSearch';
import type { ChatMessage } from '../../../src/protocol/chat';
import { answer, greedy, modelDir } from './engineTestSupport';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Hi there' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Name a colour.' },
];
const noSystem = conversation.slice(1);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** strftime('%d %b %Y') in the C locale, as transformers renders Llama 3.2's date. */
const today = (d = new Date()): string => `${String(d.getDate()).padStart(2, '0')} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;

const QWEN_TURNS = '<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n';
const QWEN_DEFAULT_SYSTEM = '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n';
const llamaPrompt = (system: string): string =>
  `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: ${today()}\n\n${system}<|eot_id|>` +
  '<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
  '<|start_header_id|>user<|end_header_id|>\n\nName a colour.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';

interface FamilyCase {
  family: FamilyId;
  model: TestModelName;
  /** The family's wired model (one per family, run with its first layout). */
  wired?: TestModelName;
  layout: 'transformers.js' | 'genai';
  /** The prompt of `conversation`, and of it without the system message. */
  prompt: string;
  promptWithoutSystem: string;
  /** Ids a prompt starts with exactly once (the template writes BOS; encoding must not add another). */
  bos?: string;
}

const cases: FamilyCase[] = [
  {
    family: 'qwen2.5',
    model: 'family-qwen2.5-tjs',
    wired: 'family-qwen2.5-wired',
    layout: 'transformers.js',
    prompt: `<|im_start|>system\nYou are terse.<|im_end|>\n${QWEN_TURNS}`,
    promptWithoutSystem: QWEN_DEFAULT_SYSTEM + QWEN_TURNS,
  },
  {
    family: 'qwen2.5-coder',
    model: 'family-qwen2.5-coder-tjs',
    wired: 'family-qwen2.5-wired',
    layout: 'transformers.js',
    prompt: `<|im_start|>system\nYou are terse.<|im_end|>\n${QWEN_TURNS}`,
    promptWithoutSystem: QWEN_DEFAULT_SYSTEM + QWEN_TURNS,
  },
  {
    family: 'qwen3',
    model: 'family-qwen3-tjs',
    wired: 'family-qwen3-wired',
    layout: 'transformers.js',
    prompt: `<|im_start|>system\nYou are terse.<|im_end|>\n${QWEN_TURNS}`,
    promptWithoutSystem: QWEN_TURNS,
  },
  {
    family: 'deepseek-r1-distill-qwen',
    model: 'family-deepseek-r1-distill-qwen-tjs',
    wired: 'family-deepseek-r1-distill-qwen-wired',
    layout: 'transformers.js',
    prompt: '<｜begin▁of▁sentence｜>You are terse.<｜User｜>Hi there<｜Assistant｜>Hello!<｜end▁of▁sentence｜><｜User｜>Name a colour.<｜Assistant｜><think>\n',
    promptWithoutSystem: '<｜begin▁of▁sentence｜><｜User｜>Hi there<｜Assistant｜>Hello!<｜end▁of▁sentence｜><｜User｜>Name a colour.<｜Assistant｜><think>\n',
    bos: '<｜begin▁of▁sentence｜>',
  },
  {
    family: 'llama3.2',
    model: 'family-llama3.2-tjs',
    wired: 'family-llama3.2-wired',
    layout: 'transformers.js',
    prompt: llamaPrompt('You are terse.'),
    promptWithoutSystem: llamaPrompt(''),
    bos: '<|begin_of_text|>',
  },
  {
    family: 'gemma3',
    model: 'family-gemma3-tjs',
    wired: 'family-gemma3-wired',
    layout: 'transformers.js',
    prompt: '<bos><start_of_turn>user\nYou are terse.\n\nHi there<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nName a colour.<end_of_turn>\n<start_of_turn>model\n',
    promptWithoutSystem: '<bos><start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nName a colour.<end_of_turn>\n<start_of_turn>model\n',
    bos: '<bos>',
  },
  {
    family: 'smollm2',
    model: 'family-smollm2-tjs',
    wired: 'family-smollm2-wired',
    layout: 'transformers.js',
    prompt: `<|im_start|>system\nYou are terse.<|im_end|>\n${QWEN_TURNS}`,
    promptWithoutSystem: `<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n${QWEN_TURNS}`,
  },
  {
    family: 'phi3.5',
    model: 'family-phi3.5-genai',
    wired: 'family-phi3.5-wired',
    layout: 'genai',
    prompt: '<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nName a colour.<|end|>\n<|assistant|>\n',
    promptWithoutSystem: '<|user|>\nHi there<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nName a colour.<|end|>\n<|assistant|>\n',
  },
  {
    family: 'phi4-mini',
    model: 'family-phi4-mini-genai',
    wired: 'family-phi4-mini-wired',
    layout: 'genai',
    prompt: '<|system|>You are terse.<|end|><|user|>Hi there<|end|><|assistant|>Hello!<|end|><|user|>Name a colour.<|end|><|assistant|>',
    promptWithoutSystem: '<|user|>Hi there<|end|><|assistant|>Hello!<|end|><|user|>Name a colour.<|end|><|assistant|>',
  },
  {
    family: 'phi4-mini',
    model: 'family-phi4-mini-tjs',
    layout: 'transformers.js',
    prompt: '<|system|>You are terse.<|end|><|user|>Hi there<|end|><|assistant|>Hello!<|end|><|user|>Name a colour.<|end|><|assistant|>',
    promptWithoutSystem: '<|user|>Hi there<|end|><|assistant|>Hello!<|end|><|user|>Name a colour.<|end|><|assistant|>',
  },
];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const ids = [17, 260, 301, 45, 99, 123, 7, 402, 88, 301, 12, 200];

for (const c of cases) {
  const family = FAMILIES[c.family];
  const idOf = (token: string): number => familyTokenizer(family).idOf(token);

  describe(`model family ${family.label} (${c.model})`, () => {
    let model: LoadedModel;
    before(async () => {
      model = await loadModel(await modelDir(c.model), { device: 'cpu', threads: 1 });
    });
    after(async () => model?.dispose());

    it(`loads in the ${c.layout} layout with the family's head size and context`, () => {
      assert.equal(model.info.layout, c.layout);
      assert.equal(model.folder.graph.headDim, family.shape.headDim);
      assert.equal(model.folder.graph.kvHeads, family.shape.numKvHeads);
      assert.equal(model.info.contextWindow, family.shape.maxPositions);
    });

    it('computes the logits of the TypeScript reference forward pass, with and without the KV cache', async () => {
      const decoder = model.decoder;
      const full = await decoder.forward(ids, decoder.emptyCache());
      const reference = referenceLogits(model.info.modelPath, ids);
      const last = reference.at(-1);
      assert.ok(last);
      const diff = maxAbsDiff(full.logits, last);
      assert.ok(diff < 2e-3, `max difference to the reference ${diff}`);
      let step = await decoder.forward(ids.slice(0, 5), decoder.emptyCache());
      for (const id of ids.slice(5)) step = await decoder.forward([id], step.cache);
      assert.ok(maxAbsDiff(step.logits, last) < 2e-3);
    });

    it("renders the family's prompt format with its own chat template", () => {
      assert.equal(model.text.usesFallbackTemplate, false);
      assert.equal(model.text.renderChat(conversation), c.prompt);
      assert.equal(model.text.renderChat(noSystem), c.promptWithoutSystem);
    });

    it('encodes the rendered prompt without adding special tokens the template already wrote', () => {
      const prompt = model.text.encodeChat(conversation);
      if (c.bos) {
        assert.equal(prompt[0], idOf(c.bos));
        assert.equal(prompt.filter((id) => id === idOf(c.bos as string)).length, 1, 'one BOS');
      }
      // Every special token of the template is one id, not spelled out in bytes.
      const specials = family.tokenizer.addedTokens.map((t) => t.content).filter((t) => c.prompt.includes(t));
      assert.ok(specials.length >= 2);
      for (const s of specials) assert.ok(prompt.includes(idOf(s)), `${s} is encoded as its id`);
    });

    it("stops at each of the family's end-of-turn tokens", () => {
      assert.deepEqual([...model.text.eosTokenIds].sort((a, b) => a - b), family.endOfTurn.map(idOf).sort((a, b) => a - b));
    });

    it(`is a model_type Search Hugging Face lists`, () => {
      const type = family.genai?.type ?? (family.config(familyTokenizer(family))['model_type'] as string);
      assert.ok(SUPPORTED_MODEL_TYPES.includes(type), type);
    });
  });

  const wired = c.wired;
  if (!wired) continue;
  describe(`model family ${family.label}: where answers end (${wired})`, () => {
    let model: LoadedModel;
    before(async () => {
      model = await loadModel(await modelDir(wired), { device: 'cpu', threads: 1 });
    });
    after(async () => model?.dispose());

    it('ends the answer at the wired end-of-turn token and leaves the token out', async () => {
      const out = await answer(model, { messages: [{ role: 'user', content: 'Who are you?' }], maxNewTokens: 64, sampling: greedy });
      const sentenceTokens = model.text.encode(DEMO_SENTENCE).length;
      assert.equal(out.result.finishReason, 'stop');
      // Had the end token not stopped it, the wiring would start the sentence again.
      assert.equal(out.result.usage.completionTokens, sentenceTokens);
      if (c.family === 'deepseek-r1-distill-qwen') {
        // Its generation prompt opens <think>, so the whole answer is reasoning.
        assert.equal(out.reasoning, DEMO_SENTENCE);
        assert.equal(out.text, '');
      } else {
        assert.equal(out.text, DEMO_SENTENCE);
        assert.equal(out.reasoning, '');
      }
    });
  });
}

describe('model family Gemma 3 in fp16 (the catalog\'s GPU variant, onnx/model_fp16.onnx)', () => {
  it('loads the float16 graph, whose KV cache and logits are float16, and computes the reference logits to float16 precision', async () => {
    const dir = await modelDir('family-gemma3-tjs');
    const model = await loadModel(dir, { device: 'cpu', threads: 1, dtype: 'fp16' });
    try {
      assert.equal(model.info.modelFile, 'onnx/model_fp16.onnx');
      const reference = referenceLogits(dir, ids, 'fp16').at(-1);
      assert.ok(reference);
      let step = await model.decoder.forward(ids.slice(0, 5), model.decoder.emptyCache());
      for (const id of ids.slice(5)) step = await model.decoder.forward([id], step.cache);
      // Logits reach about 36; float16 keeps about 3 significant digits.
      const diff = maxAbsDiff(step.logits, reference);
      assert.ok(diff < 2e-2, `max difference to the reference ${diff}`);
    } finally {
      await model.dispose();
    }
  });
});

describe('model family templates: what the families do that ChatML does not', () => {
  const models: LoadedModel[] = [];
  const load = async (name: TestModelName): Promise<LoadedModel> => {
    const m = await loadModel(await modelDir(name), { device: 'cpu', threads: 1 });
    models.push(m);
    return m;
  };
  after(async () => {
    for (const m of models) await m.dispose();
  });

  it('Gemma 3 rejects a system message after the first with the template\'s own reason', async () => {
    const gemma = await load('family-gemma3-tjs');
    const late: ChatMessage[] = [...noSystem, { role: 'system', content: 'Be brief.' }];
    assert.throws(
      () => gemma.text.renderChat(late),
      (e: unknown) => e instanceof EngineError && e.kind === 'badRequest' && /no system role/.test(e.message),
    );
    // A later system message cannot be repaired by joining turns: the error stands.
    assert.throws(() => gemma.text.renderChat([...noSystem, { role: 'assistant', content: 'Red.' }, { role: 'system', content: 'x' }, { role: 'user', content: 'y' }]), /no system role/);
  });

  it('Gemma 3 keeps answering after an answer was left out of the prompt: adjacent user turns are joined', async () => {
    const gemma = await load('family-gemma3-tjs');
    // A failed answer is not sent back to the model, so two user messages meet.
    const afterFailure: ChatMessage[] = [{ role: 'user', content: 'Hi there' }, { role: 'user', content: 'Name a colour.' }];
    assert.equal(gemma.text.renderChat(afterFailure), '<bos><start_of_turn>user\nHi there\n\nName a colour.<end_of_turn>\n<start_of_turn>model\n');
    // Templates that accept adjacent turns get them as they are.
    const qwen = await load('family-qwen2.5-tjs');
    assert.ok(qwen.text.renderChat(afterFailure).includes('<|im_start|>user\nHi there<|im_end|>\n<|im_start|>user\nName a colour.'));
  });

  it('Qwen3 and DeepSeek-R1 leave the reasoning of earlier answers out of the prompt', async () => {
    const thought: ChatMessage[] = [
      { role: 'user', content: 'Hi there' },
      { role: 'assistant', content: '<think>\nThe user greets me.\n</think>\n\nHello!' },
      { role: 'user', content: 'Name a colour.' },
    ];
    const qwen3 = await load('family-qwen3-tjs');
    assert.equal(qwen3.text.renderChat(thought), QWEN_TURNS);
    const deepseek = await load('family-deepseek-r1-distill-qwen-tjs');
    assert.ok(!deepseek.text.renderChat(thought).includes('greets'));
  });

  it('Qwen3 switches thinking off through its template; DeepSeek-R1 always reasons; the others have no switch', async () => {
    const qwen3 = await load('family-qwen3-tjs');
    assert.equal(qwen3.text.thinkingSwitch, true);
    assert.equal(qwen3.text.renderChat(noSystem, 'off'), `${QWEN_TURNS}<think>\n\n</think>\n\n`);
    assert.equal(qwen3.text.renderChat(noSystem, 'auto'), QWEN_TURNS);
    assert.equal(qwen3.text.opensThinking(noSystem, 'off'), false);
    const deepseek = await load('family-deepseek-r1-distill-qwen-tjs');
    assert.equal(deepseek.text.thinkingSwitch, false);
    assert.equal(deepseek.text.opensThinking(noSystem), true);
    for (const name of ['family-llama3.2-tjs', 'family-gemma3-tjs', 'family-phi4-mini-genai'] as const) {
      const m = await load(name);
      assert.equal(m.text.thinkingSwitch, false, name);
      assert.equal(m.text.opensThinking(noSystem), false, name);
    }
  });

  it('a Qwen3 answer with thinking off is all answer, with the empty think block in the prompt', async () => {
    const wired = await load('family-qwen3-wired');
    const out = await answer(wired, { messages: [{ role: 'user', content: 'Who are you?' }], maxNewTokens: 64, sampling: greedy, thinking: 'off' });
    assert.equal(out.text, DEMO_SENTENCE);
    assert.equal(out.reasoning, '');
    assert.equal(out.result.finishReason, 'stop');
  });

  it("streams Gemma 3's and Phi-3.5's SentencePiece-style text (▁ spaces, byte fallback) without a broken character or a lost space", async () => {
    const text = 'Cost: 5€, naïve ✓ done.\nNext line';
    for (const name of ['family-gemma3-tjs', 'family-phi3.5-genai'] as const) {
      const m = await load(name);
      assert.equal((m.folder.tokenizerJson.model as { byte_fallback?: boolean }).byte_fallback, true, name);
      const ids = m.text.encode(text);
      const stream = new StreamDecoder((part) => m.text.decode(part));
      const deltas = ids.map((id) => stream.push(id));
      const streamed = deltas.join('') + stream.flush();
      assert.equal(streamed, m.text.decode(ids), name);
      assert.ok(!deltas.some((d) => d.includes('\uFFFD')), `${name}: ${JSON.stringify(deltas)}`);
      // Phi-3.5's tokenizer prepends a space that its decoder strips again; Gemma's adds none.
      assert.equal(streamed, text, name);
    }
  });

  it("keeps Qwen3's <think> tags in decoded text (added, not special), and drops its turn markers", async () => {
    const qwen3 = await load('family-qwen3-tjs');
    const text = '<think>\nhm\n</think>\n\nRed.';
    assert.equal(qwen3.text.decode(qwen3.text.encode(`${text}<|im_end|>`)), text);
  });
});
