// Which folder the local provider loads: the conversation's chosen (installed) model, unless
// hearth.local.modelPath overrides it; the default model when neither names one.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ensureModel } from '../../../models/testModels';
import { LocalProvider, type LocalProviderSettings } from '../../../src/providers/local/localProvider';
import type { ChatEvent } from '../../../src/providers/types';
import { buildEngineHost } from '../engine/buildEngineHost';
import { endlessModel, removeModelCopies } from '../engine/engineTestSupport';

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

/** The answer's text and how it finished. */
async function collect(events: AsyncIterable<ChatEvent>, onDelta?: () => void): Promise<{ text: string; finish: string | undefined; tokens: number | undefined; notices: string[] }> {
  let text = '';
  const notices: string[] = [];
  let finish: string | undefined;
  let tokens: number | undefined;
  for await (const e of events) {
    if (e.type === 'delta') (text += e.text), onDelta?.();
    else if (e.type === 'finish') finish = e.reason;
    else if (e.type === 'usage') tokens = e.usage.completionTokens;
    else if (e.type === 'notice') notices.push(e.text);
  }
  return { text, finish, tokens, notices };
}

describe('LocalProvider: the model a conversation chose', function () {
  this.timeout(60_000);
  let hostPath: string;
  let demo: string;
  let chosen: string;
  let override: string;
  let endless: string;
  let current: LocalProviderSettings;
  let provider: LocalProvider;
  let logLines: string[];
  const logWaiters: { pattern: RegExp; resolve(): void }[] = [];
  const onLog = (line: string): void => {
    logLines.push(line);
    for (const w of logWaiters.filter((x) => x.pattern.test(line))) (logWaiters.splice(logWaiters.indexOf(w), 1), w.resolve());
  };
  const logged = (pattern: RegExp) => new Promise<void>((resolve) => logWaiters.push({ pattern, resolve }));
  const nothing = () => undefined;

  before(async () => {
    hostPath = await buildEngineHost();
    [demo, chosen, override, endless] = await Promise.all([ensureModel('demo-tjs'), ensureModel('tiny-gqa-tjs'), ensureModel('tiny-standard-tjs'), endlessModel()]);
  });
  after(() => {
    rmSync(hostPath, { force: true });
    removeModelCopies();
  });
  beforeEach(() => {
    logLines = [];
    current = settings('');
    provider = new LocalProvider({
      engineHostPath: hostPath,
      getSettings: () => current,
      logger: { trace: nothing, info: onLog, warn: nothing, error: nothing },
      defaultModelPath: demo,
      resolveModel: async (model) => ({ 'installed-id': chosen, 'endless-id': endless })[model],
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

  const answer = (model: string | undefined, maxTokens: number, onDelta?: () => void) =>
    collect(provider.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens, ...(model ? { model } : {}) }), onDelta);

  it('answers two requests for different models at once each with its own model, switching the engine between them', async () => {
    const alone = { chosen: (await answer('installed-id', 8)).text, demo: (await answer(undefined, 8)).text };
    assert.notEqual(alone.chosen, alone.demo, 'the two models write different answers');
    const [chosenAnswer, demoAnswer] = await Promise.all([answer('installed-id', 8), answer(undefined, 8)]);
    assert.deepEqual({ chosen: chosenAnswer.text, demo: demoAnswer.text }, alone);
  });

  it('a request for another model waits for the running answer, which the switch does not break', async () => {
    let started!: () => void;
    const firstToken = new Promise<void>((resolve) => (started = resolve));
    const running = answer('endless-id', 300, () => started());
    await firstToken;
    const other = await answer(undefined, 8);
    const first = await running;
    assert.deepEqual({ finish: first.finish, tokens: first.tokens }, { finish: 'length', tokens: 300 }, 'the running answer ran to its limit on its own model');
    assert.equal(other.text, "Hello! I am Hearth's built-in", 'then the demo model answered');
    assert.equal(provider.status.model?.modelPath, demo);
    const why = 'Loading demo-tjs once the answer on tiny-standard-tjs is done (the engine holds one model at a time).';
    assert.deepEqual(other.notices, [why], 'the waiting answer says why it has not started');
    assert.ok(logLines.includes(why), `the log says so too:\n${logLines.join('\n')}`);
  });

  it('a request cancelled while it waits for another model ends as cancelled, and that model is never loaded', async () => {
    let started!: () => void;
    const firstToken = new Promise<void>((resolve) => (started = resolve));
    const running = answer('endless-id', 300, () => started());
    await firstToken;
    const controller = new AbortController();
    const queued = logged(/^Loading demo-tjs once the answer on tiny-standard-tjs is done/);
    const waiting = collect(provider.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 }, controller.signal));
    await queued;
    controller.abort();
    const cancelled = await waiting;
    assert.deepEqual({ text: cancelled.text, finish: cancelled.finish, tokens: cancelled.tokens }, { text: '', finish: 'cancelled', tokens: undefined });
    assert.equal((await running).tokens, 300);
    assert.equal(provider.status.model?.modelPath, endless, 'the engine still holds the first model');
    assert.equal(logLines.filter((l) => l.startsWith('Loaded ')).length, 1, logLines.join('\n'));
  });
});
