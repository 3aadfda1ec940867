// Which folder the local provider loads: the conversation's chosen (installed) model, unless
// hearth.local.modelPath overrides it; the default model when neither names one.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ensureModel } from '../../../models/testModels';
import { LocalProvider, type LocalProviderSettings } from '../../../src/providers/local/localProvider';
import type { ChatEvent } from '../../../src/providers/types';
import { buildEngineHost } from '../engine/buildEngineHost';

const settings = (modelPath: string): LocalProviderSettings => ({
  modelPath,
  device: 'cpu',
  dtype: 'auto',
  threads: 1,
  threadSpinning: false,
  int4Compute: 'model',
  idleTimeoutMinutes: 10,
  maxNewTokens: 2,
  temperature: 0,
  topK: null,
  topP: null,
  minP: null,
  repetitionPenalty: null,
  seed: null,
});

async function drain(events: AsyncIterable<ChatEvent>): Promise<void> {
  for await (const e of events) void e;
}

describe('LocalProvider: the model a conversation chose', function () {
  this.timeout(60_000);
  let hostPath: string;
  let demo: string;
  let chosen: string;
  let override: string;
  let current: LocalProviderSettings;
  let provider: LocalProvider;
  const nothing = () => undefined;

  before(async () => {
    hostPath = await buildEngineHost();
    [demo, chosen, override] = await Promise.all([ensureModel('demo-tjs'), ensureModel('tiny-gqa-tjs'), ensureModel('tiny-standard-tjs')]);
  });
  after(() => rmSync(hostPath, { force: true }));
  beforeEach(() => {
    current = settings('');
    provider = new LocalProvider({
      engineHostPath: hostPath,
      getSettings: () => current,
      logger: { trace: nothing, info: nothing, warn: nothing, error: nothing },
      defaultModelPath: demo,
      resolveModel: async (model) => (model === 'installed-id' ? chosen : undefined),
    });
  });
  afterEach(() => provider.dispose());

  const ask = (model?: string) => drain(provider.chat({ messages: [{ role: 'user', content: 'hi' }], ...(model ? { model } : {}) }));

  it("loads the conversation's installed model, and the default for a conversation without one", async () => {
    await ask('installed-id');
    assert.equal(provider.status.model?.modelPath, chosen);
    await ask();
    assert.equal(provider.status.model?.modelPath, demo);
  });

  it('falls back to the default for an id that names no installed model', async () => {
    await ask('../../etc');
    assert.equal(provider.status.model?.modelPath, demo);
  });

  it('lets hearth.local.modelPath override the choice', async () => {
    current = settings(override);
    await ask('installed-id');
    assert.equal(provider.status.model?.modelPath, override);
  });
});
