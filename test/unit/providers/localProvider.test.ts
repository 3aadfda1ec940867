// The local provider against a real engine host process (built from source in before()).
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { LocalProvider, type LocalProviderSettings } from '../../../src/providers/local/localProvider';
import { type ChatEvent, ProviderError } from '../../../src/providers/types';
import { buildEngineHost } from '../engine/buildEngineHost';
import { endlessModel, modelDir, removeModelCopies } from '../engine/engineTestSupport';

const settings = (modelPath: string, more: Partial<LocalProviderSettings> = {}): LocalProviderSettings => ({
  modelPath,
  device: 'auto',
  dtype: 'auto',
  threads: 0,
  threadSpinning: false,
  int4Compute: 'model',
  idleTimeoutMinutes: 10,
  maxNewTokens: 1024,
  temperature: 0,
  topK: null,
  topP: null,
  minP: null,
  repetitionPenalty: null,
  seed: null,
  ...more,
});

const logListeners = new Set<(line: string) => void>();
const log = (line: string): void => logListeners.forEach((l) => l(line));
const logger = { trace: log, info: log, warn: log, error: log };

function nextLog(pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const listener = (line: string): void => {
      if (!pattern.test(line)) return;
      logListeners.delete(listener);
      resolve(line);
    };
    logListeners.add(listener);
  });
}

async function collect(events: AsyncIterable<ChatEvent>): Promise<{ text: string; events: ChatEvent[] }> {
  const all: ChatEvent[] = [];
  for await (const e of events) all.push(e);
  return { text: all.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join(''), events: all };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalProvider (engine host process)', function () {
  this.timeout(30000);
  let hostPath: string;
  let endless: string;
  let current: LocalProviderSettings;
  let provider: LocalProvider;

  before(async () => {
    hostPath = await buildEngineHost();
    endless = await endlessModel();
  });
  after(() => {
    rmSync(hostPath, { force: true });
    removeModelCopies();
  });

  beforeEach(async () => {
    current = settings(await modelDir('demo-tjs'));
    provider = new LocalProvider({ engineHostPath: hostPath, getSettings: () => current, logger });
  });
  afterEach(() => provider.dispose());

  it('answers in its own process and reports device, usage and speed', async () => {
    const statuses: string[] = [];
    provider.onDidChangeStatus((s) => statuses.push(s.state));
    const { text, events } = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }] }));
    assert.equal(text, "Hello! I am Hearth's built-in demo model, running on your machine with no server.");
    const pid = provider.engineProcessId;
    assert.ok(pid !== undefined && pid !== process.pid);
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage' && usage.usage.completionTokens > 5);
    const stats = events.find((e) => e.type === 'stats');
    assert.ok(stats?.type === 'stats' && stats.stats.device === 'cpu' && (stats.stats.tokensPerSecond ?? 0) > 0);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
    const status = provider.status;
    assert.equal(status.model?.device, 'cpu');
    assert.equal(status.model?.contextWindow, 2048);
    if (process.platform === 'linux') assert.deepEqual(status.model?.skippedDevices.map((s) => s.device), ['cuda', 'webgpu']);
    assert.ok((status.lastUsage?.promptTokens ?? 0) > 0);
    assert.ok(statuses.includes('loading') && statuses.includes('generating') && statuses.at(-1) === 'ready');
  });

  it('counts tokens exactly with the model tokenizer', async () => {
    const count = await provider.countTokens([{ role: 'user', content: 'Hello' }]);
    assert.equal(count.contextWindow, 2048);
    assert.ok(count.tokens > 3);
  });

  it('reports a bad model folder as badModel with an action, and recovers when it is fixed', async () => {
    current = settings('/nonexistent/hearth-model');
    await assert.rejects(collect(provider.chat({ messages: [{ role: 'user', content: 'Hi' }] })), (err: unknown) => {
      return err instanceof ProviderError && err.kind === 'badModel' && /does not exist/.test(err.message) && err.action !== undefined;
    });
    current = settings(await modelDir('demo-tjs'));
    assert.match((await collect(provider.chat({ messages: [{ role: 'user', content: 'Hi' }] }))).text, /demo model/);
  });

  it('cancels at once and serves the next request', async () => {
    current = settings(endless, { maxNewTokens: 2000 });
    const cancelled = nextLog(/cancelled after \d+ tokens/);
    const controller = new AbortController();
    const events: ChatEvent[] = [];
    for await (const e of provider.chat({ messages: [{ role: 'user', content: 'Write a lot.' }] }, controller.signal)) {
      events.push(e);
      if (e.type === 'delta') controller.abort();
    }
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'cancelled' });
    assert.ok(Number(/after (\d+) tokens/.exec(await cancelled)?.[1]) < 100, 'the engine stopped soon after the abort');
    const next = await collect(provider.chat({ messages: [{ role: 'user', content: 'Again' }], maxTokens: 5 }));
    assert.ok(next.events.some((e) => e.type === 'finish'));
  });

  it('stops the engine when the caller leaves the stream early', async () => {
    current = settings(endless, { maxNewTokens: 2000 });
    const cancelled = nextLog(/cancelled after \d+ tokens/);
    for await (const e of provider.chat({ messages: [{ role: 'user', content: 'Write forever.' }] })) {
      if (e.type === 'delta') break;
    }
    assert.ok(Number(/after (\d+) tokens/.exec(await cancelled)?.[1]) < 100);
  });

  it('fails the stream with engineCrashed when the host dies mid-answer, and restarts on the next request', async () => {
    current = settings(endless, { maxNewTokens: 2000 });
    let killed: number | undefined;
    const crashed = collect(
      (async function* () {
        for await (const e of provider.chat({ messages: [{ role: 'user', content: 'Write a long story.' }] })) {
          if (e.type === 'delta' && killed === undefined) {
            killed = provider.engineProcessId;
            assert.ok(killed);
            process.kill(killed, 'SIGKILL');
          }
          yield e;
        }
      })(),
    );
    await assert.rejects(crashed, (err: unknown) => {
      return err instanceof ProviderError && err.kind === 'engineCrashed' && /SIGKILL/.test(err.message) && /again/.test(err.action ?? '');
    });
    assert.equal(provider.status.state, 'stopped');

    current = settings(await modelDir('demo-tjs'));
    const after = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }] }));
    assert.match(after.text, /demo model/);
    assert.ok(provider.engineProcessId !== undefined && provider.engineProcessId !== killed);
  });

  it('switches models in the same host when the setting changes', async () => {
    await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }] }));
    const pid = provider.engineProcessId;
    current = settings(await modelDir('tiny-gqa-tjs'));
    const { events } = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 4 }));
    assert.ok(events.some((e) => e.type === 'finish'));
    assert.equal(provider.status.model?.modelId, 'tiny-gqa-tjs');
    assert.equal(provider.status.model?.dtype, 'q4');
    assert.equal(provider.engineProcessId, pid);
  });

  it('reloads the model with spinning threads when hearth.local.threadSpinning turns on', async () => {
    await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 2 }));
    assert.equal(provider.status.model?.threadSpinning, false);
    current = { ...current, threadSpinning: true };
    const reloaded = nextLog(/Loaded .* threads, spinning\)/);
    const { text } = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 2 }));
    assert.ok(text.length > 0);
    await reloaded;
    assert.equal(provider.status.model?.threadSpinning, true);
  });

  it('loads the int4 weights with int8 compute when hearth.local.int4Compute says so', async () => {
    current = settings(await modelDir('tiny-gqa-tjs'), { int4Compute: 'int8' });
    const loaded = nextLog(/Loaded onnx\/model_q4\.onnx .*15 int4 matmuls set to int8/);
    const { text } = await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 2 }));
    assert.ok(text.length > 0);
    await loaded;
    assert.equal(provider.status.model?.int4Compute, 'int8');
    assert.equal(provider.status.model?.int4MatMulsChanged, 15);
  });

  it('stops the host after the idle timeout', async () => {
    current = settings(await modelDir('demo-tjs'), { idleTimeoutMinutes: 0.002 });
    await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }] }));
    const pid = provider.engineProcessId;
    assert.ok(pid !== undefined);
    await new Promise<void>((resolve) => {
      const off = provider.onDidChangeStatus((s) => {
        if (s.state === 'stopped') {
          off();
          resolve();
        }
      });
    });
    assert.equal(provider.engineProcessId, undefined);
    assert.equal(processExists(pid), false);
  });

  it('stops the host on dispose', async () => {
    await collect(provider.chat({ messages: [{ role: 'user', content: 'Hello' }] }));
    const pid = provider.engineProcessId;
    assert.ok(pid !== undefined);
    await provider.dispose();
    assert.equal(processExists(pid), false);
    assert.equal(provider.status.state, 'stopped');
  });
});
