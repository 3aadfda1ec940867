// Reasoning across the engine host's process boundary: the thinking of a model whose template opens
// <think> arrives as reasoning events (validated by the JSON-RPC schema on the way), with its token
// count in the usage; hearth.local.thinking off reaches the template.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SENTENCE } from '../../../models/tokenizer/corpus';
import { LocalProvider, type LocalProviderSettings } from '../../../src/providers/local/localProvider';
import type { ChatEvent } from '../../../src/providers/types';
import { buildEngineHost } from '../engine/buildEngineHost';
import { copyOfModel, removeModelCopies } from '../engine/engineTestSupport';

/** Qwen3-like: thinks unless enable_thinking is false, then writes an empty block. */
const switchable =
  "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}" +
  "{% if enable_thinking is defined and enable_thinking is false %}{{ '<think>\\n\\n</think>\\n\\n' }}{% else %}{{ '<think>\\n' }}{% endif %}{% endif %}";

const settings = (modelPath: string, more: Partial<LocalProviderSettings> = {}): LocalProviderSettings => ({
  modelPath,
  device: 'cpu',
  dtype: 'auto',
  threads: 1,
  threadSpinning: false,
  int4Compute: 'model',
  idleTimeoutMinutes: 10,
  maxNewTokens: 64,
  temperature: 0,
  topK: null,
  topP: null,
  minP: null,
  repetitionPenalty: null,
  seed: null,
  ...more,
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

const textOf = (events: ChatEvent[], type: 'delta' | 'reasoning'): string => events.flatMap((e) => (e.type === type ? [e.text] : [])).join('');

describe('LocalProvider: reasoning output', function () {
  this.timeout(60_000);
  let hostPath: string;
  let modelPath: string;
  let current: LocalProviderSettings;
  let provider: LocalProvider;

  before(async () => {
    hostPath = await buildEngineHost();
    modelPath = await copyOfModel('demo-tjs');
    const file = join(modelPath, 'tokenizer_config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...config, chat_template: switchable }));
    current = settings(modelPath);
    provider = new LocalProvider({ engineHostPath: hostPath, getSettings: () => current, logger: { trace() {}, info() {}, warn() {}, error() {} } });
  });
  after(async () => {
    await provider.dispose();
    rmSync(hostPath, { force: true });
    removeModelCopies();
  });

  it('streams the thinking as reasoning events and counts its tokens', async () => {
    const events = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    assert.equal(textOf(events, 'reasoning'), DEMO_SENTENCE);
    assert.equal(textOf(events, 'delta'), '');
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    assert.equal(usage.usage.reasoningTokens, usage.usage.completionTokens);
    assert.equal(provider.status.model?.thinkingSwitch, true);
  });

  it('hearth.local.thinking off: the template gets enable_thinking false and the model answers without thinking', async () => {
    current = settings(modelPath, { thinking: 'off' });
    const events = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    assert.equal(textOf(events, 'delta'), DEMO_SENTENCE);
    assert.equal(textOf(events, 'reasoning'), '');
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage' && usage.usage.reasoningTokens === undefined);
  });
});
