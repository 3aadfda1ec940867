// The presets' tables of context windows and list prices: every entry valid, dated and sourced; and whom Hearth
// believes: the user's setting, then the server, then the table, else nothing (never a made-up number).
import * as assert from 'node:assert/strict';
import { costOf } from '../../../src/chat/compareStats';
import { endpointPresets, resolveEndpoints } from '../../../src/providers/endpointPresets';
import { OpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import { presetModelData } from '../../../src/providers/presets/presetModelData';
import {
  parsePresetModelTable,
  pickContextWindow,
  pickPrice,
  presetContextWindows,
  presetModel,
  type PresetModelEntry,
} from '../../../src/providers/presets/presetModelTable';
import { costWithSource } from '../../../src/webview/chrome/formatCost';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';

const entry: PresetModelEntry = {
  preset: 'anthropic',
  models: ['claude-test', 'claude-test-alias'],
  contextWindow: 200_000,
  inputPerMTok: 1,
  outputPerMTok: 5,
  currency: 'USD',
  checked: '2026-12-05',
  source: 'https://platform.claude.com/docs/en/models/test/overview',
};

describe('preset model tables', () => {
  it('are valid: known presets, dated, each from an https page of the provider', () => {
    const table = parsePresetModelTable(presetModelData);
    assert.ok(table.length > 0);
    const presetIds = new Set(endpointPresets.map((p) => p.id));
    for (const e of table) {
      assert.ok(presetIds.has(e.preset), `unknown preset ${e.preset}`);
      assert.match(e.source, /^https:\/\//);
      assert.ok(!Number.isNaN(Date.parse(e.checked)), e.checked);
      if (e.preset === 'anthropic') assert.match(new URL(e.source).host, /(^|\.)claude\.com$|(^|\.)anthropic\.com$/);
    }
  });

  it('reject an entry without a source or date, and a model listed twice', () => {
    assert.throws(() => parsePresetModelTable([{ ...entry, source: undefined }]));
    assert.throws(() => parsePresetModelTable([{ ...entry, checked: 'Dec 2026' }]));
    assert.throws(() => parsePresetModelTable([entry, { ...entry, models: ['claude-test-alias'] }]), /twice/);
    assert.equal(parsePresetModelTable([entry]).length, 1);
  });

  it('find a model by its id or alias, only under its own preset', () => {
    assert.equal(presetModel('anthropic', 'claude-test-alias', [entry]), entry);
    assert.equal(presetModel('openai', 'claude-test', [entry]), undefined);
    assert.equal(presetModel('anthropic', undefined, [entry]), undefined);
    assert.deepEqual(presetContextWindows('anthropic', [entry]), { 'claude-test': 200_000, 'claude-test-alias': 200_000 });
    assert.deepEqual(presetContextWindows(undefined, [entry]), {});
  });
});

describe('whom Hearth believes about a context window and a price', () => {
  it('context window: the user setting, else the server, else the preset table, else unknown', () => {
    assert.equal(pickContextWindow({ user: 8_000, server: 32_000, preset: 128_000 }), 8_000);
    assert.equal(pickContextWindow({ server: 32_000, preset: 128_000 }), 32_000);
    assert.equal(pickContextWindow({ preset: 128_000 }), 128_000);
    assert.equal(pickContextWindow({}), undefined);
  });

  it("price: the user's own, else the preset's list price with its date, else free on this computer, else unknown", () => {
    const user = { input: 0.5, output: 1.5, currency: 'CNY' };
    assert.deepEqual(pickPrice({ user, preset: entry, local: false }), user);
    assert.deepEqual(pickPrice({ preset: entry, local: false }), { input: 1, output: 5, currency: 'USD', presetChecked: '2026-12-05' });
    assert.deepEqual(pickPrice({ local: true }), { input: 0, output: 0, currency: 'USD' });
    assert.equal(pickPrice({ local: false }), undefined);
  });

  it('an answer priced from the table says so, with the date; one priced by the user does not', () => {
    const usage = { promptTokens: 1_000_000, completionTokens: 200_000 };
    const preset = costOf(usage, { input: 1, output: 5, currency: 'USD', presetChecked: '2026-12-05' });
    assert.deepEqual(preset, { amount: 2, currency: 'USD', presetChecked: '2026-12-05' });
    assert.equal(costWithSource(preset), '$2.00 (preset price, checked 2026-12-05)');
    assert.equal(costWithSource(costOf(usage, { input: 1, output: 5, currency: 'USD' })), '$2.00');
  });

  it('an endpoint keeps the preset it names, so its table applies', () => {
    const { endpoints } = resolveEndpoints([{ id: 'claude', preset: 'anthropic', model: 'claude-sonnet-5' }, { id: 'own', baseUrl: 'https://llm.example.com/v1' }]);
    assert.equal(endpoints[0]?.preset, 'anthropic');
    assert.equal(endpoints[1]?.preset, undefined);
    assert.equal(endpoints[0]?.price, undefined, 'no price of its own: the table is asked per model');
  });
});

describe('OpenAiProvider context window with a preset table', () => {
  let server: FakeOpenAiServer;
  afterEach(async () => {
    await server?.close();
  });

  const provider = (contextWindow?: number) =>
    new OpenAiProvider({
      getSettings: () => ({
        baseUrl: server.baseUrl,
        model: 'fake-model',
        contextSource: 'models-list' as const,
        knownContextWindows: { 'fake-model': 128_000 },
        ...(contextWindow ? { contextWindow } : {}),
      }),
      getApiKey: async () => undefined,
    });

  it("takes the server's figure over the table's", async () => {
    server = await startFakeOpenAiServer({ modelFields: { max_model_len: 32_768 } });
    assert.equal(await provider().contextWindow('fake-model'), 32_768);
  });

  it("falls back to the table where the server's model list says nothing", async () => {
    server = await startFakeOpenAiServer();
    assert.equal(await provider().contextWindow('fake-model'), 128_000);
    assert.equal(await provider().contextWindow('fake-model-mini'), undefined, 'a model the table does not know stays unknown');
  });

  it("takes the user's setting over both, without asking the server", async () => {
    server = await startFakeOpenAiServer({ modelFields: { max_model_len: 32_768 } });
    assert.equal(await provider(4_096).contextWindow('fake-model'), 4_096);
    assert.equal(server.requests.length, 0);
  });
});
