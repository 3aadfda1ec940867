// Hearth's local models as VS Code language models (vendor 'hearth'), in a real extension host: what
// `vscode.lm.selectChatModels` lists and with which limits, answers streamed through `sendRequest`,
// token counts by the model's own tokenizer, cancellation reaching the engine, and tool calls from the
// wired tool-call model (models/toolCallModel.ts).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as vscode from 'vscode';
import { ensureToolCallModel, QWEN25_TOOLS_TEMPLATE, TOOL_CALL_MODEL_CONTEXT, TOOL_CALL_TEXT } from '../../models/toolCallModel';
import { LocalLanguageModels, type HearthModelInformation } from '../../src/extension/localLanguageModels';
import { LocalProvider, type LocalProviderSettings } from '../../src/providers/local/localProvider';
import { activateHearth, hearthExtension, useSettings } from './support/hearth';

const MAX_NEW_TOKENS = 300;

/** The 'hearth' models once their list passes `check` (the list changes after a settings change or a download). */
async function untilListed(check: (models: vscode.LanguageModelChat[]) => boolean): Promise<vscode.LanguageModelChat[]> {
  for (;;) {
    let subscription: vscode.Disposable | undefined;
    const changed = new Promise<void>((resolve) => (subscription = vscode.lm.onDidChangeChatModels(() => resolve())));
    try {
      const models = await vscode.lm.selectChatModels({ vendor: 'hearth' });
      if (check(models)) return models;
      await changed;
    } finally {
      subscription?.dispose();
    }
  }
}

/** The first 'hearth' model that matches, once VS Code lists it. */
async function hearthModel(match: (m: vscode.LanguageModelChat) => boolean): Promise<vscode.LanguageModelChat> {
  const models = await untilListed((ms) => ms.some(match));
  return models.find(match) as vscode.LanguageModelChat;
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<{ text: string; chunks: number; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  let chunks = 0;
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) {
      text += part.value;
      chunks++;
    } else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, chunks, calls };
}

/** A copy of the demo model whose end-of-sequence id lies outside its vocabulary: it writes its sentence over and over. */
function endlessDemo(root: string): string {
  const dir = join(root, 'endless-demo');
  cpSync(join(hearthExtension().extensionPath, 'dist', 'demo-model'), dir, { recursive: true });
  const edit = (file: string, change: (json: Record<string, unknown>) => void): void => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
  };
  edit('generation_config.json', (j) => (j['eos_token_id'] = 1_000_000));
  edit('config.json', (j) => (j['eos_token_id'] = 1_000_000));
  edit('tokenizer_config.json', (j) => (j['eos_token'] = null));
  return dir;
}

/** A copy of the demo model under Qwen2.5's template, which lays out tools: it is tool-calling, yet still writes its sentence. */
function talkingToolsDemo(root: string): string {
  const dir = join(root, 'talking-tools-demo');
  cpSync(join(hearthExtension().extensionPath, 'dist', 'demo-model'), dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  config['chat_template'] = QWEN25_TOOLS_TEMPLATE;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}

/** The tool-call model as a finished download in `modelsDir` (its manifest written last, as a download does); its id. */
function installToolCallModel(root: string, modelsDir: string, id: string): string {
  const installed = join(modelsDir, id);
  cpSync(ensureToolCallModel(join(root, 'tool-call-demo')), installed, { recursive: true });
  const manifest = {
    version: 1, repo: 'hearth-test/tool-call', commit: `${id.slice(-12)}0123456789abcdef0123456789ab`, revision: 'main', endpoint: 'https://huggingface.co',
    weights: 'onnx/model.onnx', files: [], downloadedAt: new Date().toISOString(),
  };
  writeFileSync(join(installed, 'hearth-model.json'), JSON.stringify(manifest));
  return installed;
}

describe("Hearth's local models in VS Code's language model API", function () {
  this.timeout(120_000);
  let root: string;
  let demoDir: string;
  let restore: (() => Promise<void>) | undefined;

  before(async () => {
    await activateHearth();
    root = mkdtempSync(join(tmpdir(), 'hearth-lm-'));
    demoDir = join(hearthExtension().extensionPath, 'dist', 'demo-model');
  });

  afterEach(async () => {
    await restore?.();
    restore = undefined;
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists the bundled demo model with its context window, and streams its answer through sendRequest', async () => {
    restore = await useSettings({ 'hearth.local.modelPath': '', 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    const model = await hearthModel((m) => m.id === 'demo' && m.maxInputTokens === 2048 - MAX_NEW_TOKENS);
    assert.equal(model.vendor, 'hearth');
    assert.equal(model.name, 'Hearth demo model');

    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Who are you?')], { justification: 'test' });
    const { text, chunks } = await collect(response);
    assert.match(text, /I am Hearth's built-in demo model/);
    assert.ok(chunks > 1, `the answer streams in pieces (${chunks})`);
  });

  it('counts tokens with the model’s own tokenizer, through the engine', async () => {
    restore = await useSettings({ 'hearth.local.modelPath': '' });
    const model = await hearthModel((m) => m.id === 'demo');
    const tokenizer = new Tokenizer(
      JSON.parse(readFileSync(join(demoDir, 'tokenizer.json'), 'utf8')) as object,
      JSON.parse(readFileSync(join(demoDir, 'tokenizer_config.json'), 'utf8')) as object,
    );
    const text = 'How do I read a file line by line in Python? Grüße!';
    const expected = tokenizer.encode(text, { add_special_tokens: false }).ids.length;
    assert.equal(await model.countTokens(text), expected);
    assert.equal(await model.countTokens(vscode.LanguageModelChatMessage.User(text)), expected);
    assert.notEqual(expected, text.length, 'a count by characters would not pass');
  });

  it('lists hearth.local.modelPath alone when it is set, and stops the stream when the request is cancelled', async () => {
    const endless = endlessDemo(root);
    restore = await useSettings({ 'hearth.local.modelPath': endless, 'hearth.local.maxNewTokens': 2000 });
    const model = await hearthModel((m) => m.id === 'folder:endless-demo');
    assert.deepEqual((await vscode.lm.selectChatModels({ vendor: 'hearth' })).map((m) => m.id), ['folder:endless-demo']);
    const cancel = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Write a lot.')], {}, cancel.token);
    let text = '';
    try {
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) text += part.value;
        cancel.cancel();
      }
    } catch (err) {
      assert.ok(err instanceof vscode.CancellationError || (err instanceof Error && /cancel/i.test(err.message)), String(err));
    }
    // The cancel crosses to the workbench and back while the tiny model writes ~1 token/ms: the answer ends
    // well before its 2000-token limit, not at it (the provider's own test below reads the engine's count).
    const tokens = await model.countTokens(text);
    assert.ok(text.length > 0 && tokens < 1900, `the stream stopped after the cancel, not at the limit (${tokens} tokens)`);
  });

  /** The provider against a local provider of the test's own (its engine's log and status are the test's to read). */
  function ownProvider(modelPath: string, maxNewTokens: number): {
    provider: LocalLanguageModels;
    local: LocalProvider;
    info: HearthModelInformation;
    lines: string[];
    nextLine(pattern: RegExp): Promise<string>;
    dispose(): Promise<void>;
  } {
    const lines: string[] = [];
    const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
    const onLine = (line: string): void => {
      lines.push(line);
      for (const w of [...waiters]) if (w.pattern.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
    };
    const settings: LocalProviderSettings = {
      modelPath, device: 'cpu', dtype: 'auto', threads: 0, threadSpinning: false, int4Compute: 'model', idleTimeoutMinutes: 5,
      maxNewTokens, temperature: 0, topK: null, topP: null, minP: null, repetitionPenalty: null, seed: null,
    };
    const local = new LocalProvider({
      engineHostPath: join(hearthExtension().extensionPath, 'dist', 'engineHost.js'),
      getSettings: () => settings,
      logger: { trace: onLine, info: onLine, warn: onLine, error: onLine },
    });
    const log = vscode.window.createOutputChannel('Hearth language model test', { log: true });
    const provider = new LocalLanguageModels({ modelsDir: () => join(root, 'no-models'), hub: { get: async () => local, demoModelPath: () => demoDir }, log });
    const info: HearthModelInformation = {
      id: 'folder:test', name: 'test', family: 'test', version: '1', maxInputTokens: 1500, maxOutputTokens: maxNewTokens,
      capabilities: { toolCalling: false }, localModel: undefined,
    };
    return {
      provider, local, info, lines,
      nextLine: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
      dispose: async () => {
        provider.dispose();
        log.dispose();
        await local.dispose();
      },
    };
  }

  const autoTools = { toolMode: vscode.LanguageModelChatToolMode.Auto } as const;

  it('cancellation stops the engine’s generation (the provider against its own engine, to read its log)', async () => {
    const own = ownProvider(endlessDemo(mkdtempSync(join(root, 'own-'))), 2000);
    try {
      const cancelled = own.nextLine(/cancelled after \d+ tokens/);
      const cancel = new vscode.CancellationTokenSource();
      let parts = 0;
      await own.provider.provideLanguageModelChatResponse(own.info, [vscode.LanguageModelChatMessage.User('Write forever.')], autoTools, { report: () => (parts++, cancel.cancel()) }, cancel.token);
      assert.ok(parts > 0);
      const tokens = Number(/after (\d+) tokens/.exec(await cancelled)?.[1]);
      assert.ok(tokens < 100, `the engine stopped soon after the cancel, not at its 2000-token limit (${tokens}); log:\n${own.lines.join('\n')}`);
    } finally {
      await own.dispose();
    }
  });

  it('a follow-up carries the conversation, and the engine serves its start from the prefix cache', async () => {
    const own = ownProvider(demoDir, 100);
    try {
      const none = new vscode.CancellationTokenSource().token;
      let answer = '';
      const question = vscode.LanguageModelChatMessage.User('Who are you?');
      await own.provider.provideLanguageModelChatResponse(own.info, [question], autoTools, { report: (p) => (answer += p instanceof vscode.LanguageModelTextPart ? p.value : '') }, none);
      assert.match(answer, /demo model/);
      const first = own.local.status.lastUsage;
      assert.equal(first?.cachedTokens, 0, 'nothing cached before the first turn');
      await own.provider.provideLanguageModelChatResponse(
        own.info,
        [question, vscode.LanguageModelChatMessage.Assistant(answer), vscode.LanguageModelChatMessage.User('And what can you do?')],
        autoTools,
        { report: () => undefined },
        none,
      );
      const second = own.local.status.lastUsage;
      assert.ok((second?.cachedTokens ?? 0) >= (first?.promptTokens ?? Infinity), `the first turn's prompt came from the cache (${JSON.stringify(second)} after ${JSON.stringify(first)})`);
    } finally {
      await own.dispose();
    }
  });

  it('a model whose template takes tools says so, gets the request’s tools and answers with a LanguageModelToolCallPart', async () => {
    const dir = ensureToolCallModel(join(root, 'tool-call-demo'));
    restore = await useSettings({ 'hearth.local.modelPath': dir, 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    const model = await hearthModel((m) => m.id === 'folder:tool-call-demo');
    assert.equal(model.maxInputTokens, TOOL_CALL_MODEL_CONTEXT - MAX_NEW_TOKENS, 'the window comes from the model’s config.json');

    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'get_weather', description: 'The forecast for the next days', inputSchema: { type: 'object', properties: { days: { type: 'number' } }, required: ['days'] } },
    ];
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What will the weather be?')], { tools });
    const { text, calls } = await collect(response);
    assert.equal(text, '', 'the call is not shown as text');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.name, 'get_weather');
    assert.deepEqual(calls[0]?.input, { days: 3 });
    assert.ok(calls[0]?.callId);

    // The follow-up carries the call and its result; the model answers (the wired one, with its call again).
    const followUp = await model.sendRequest(
      [
        vscode.LanguageModelChatMessage.User('What will the weather be?'),
        vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart(calls[0]?.callId ?? 'c', 'get_weather', { days: 3 })]),
        vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(calls[0]?.callId ?? 'c', [new vscode.LanguageModelTextPart('Sunny all week')])]),
      ],
      { tools },
    );
    assert.equal((await collect(followUp)).calls.length, 1);
  });

  it('toolMode Required: the tool call comes back; an answer without one fails, saying what the model did and what to do', async () => {
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'The forecast for the next days', inputSchema: { type: 'object' } }];
    const required = { tools, toolMode: vscode.LanguageModelChatToolMode.Required };
    restore = await useSettings({ 'hearth.local.modelPath': ensureToolCallModel(join(root, 'tool-call-demo')), 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    const caller = await hearthModel((m) => m.id === 'folder:tool-call-demo');
    const called = await collect(await caller.sendRequest([vscode.LanguageModelChatMessage.User('What will the weather be?')], required));
    assert.deepEqual(called.calls.map((c) => [c.name, c.input]), [['get_weather', { days: 3 }]]);

    await restore();
    restore = await useSettings({ 'hearth.local.modelPath': talkingToolsDemo(root), 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    const talker = await hearthModel((m) => m.id === 'folder:talking-tools-demo');
    // Auto: its text is a valid answer.
    assert.match((await collect(await talker.sendRequest([vscode.LanguageModelChatMessage.User('Weather?')], { tools }))).text, /built-in demo model/);
    await assert.rejects(
      async () => collect(await talker.sendRequest([vscode.LanguageModelChatMessage.User('Weather?')], required)),
      /The local model talking-tools-demo did not call a tool, though the request required one \(toolMode Required\): it answered in text \("Hello! I am Hearth's built-in demo model.*try again, ask for the tool in the prompt, or pick a larger model/,
    );
  });

  it('toolMode Required on a model that cannot call tools fails before the engine runs, naming what to pick', async () => {
    const own = ownProvider(demoDir, 50);
    try {
      const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'The forecast', inputSchema: undefined }];
      let parts = 0;
      await assert.rejects(
        own.provider.provideLanguageModelChatResponse(own.info, [vscode.LanguageModelChatMessage.User('Weather?')], { tools, toolMode: vscode.LanguageModelChatToolMode.Required }, { report: () => parts++ }, new vscode.CancellationTokenSource().token),
        /The local model test cannot call tools .*Pick a model whose capabilities include tool calling/,
      );
      assert.equal(parts, 0);
      assert.equal(own.local.engineProcessId, undefined, 'no engine was started for it');
    } finally {
      await own.dispose();
    }
  });

  it('reports a template without tools as not tool-calling, and lists downloaded models as they are installed', async () => {
    const modelsDir = join(root, 'models');
    mkdirSync(modelsDir, { recursive: true });
    restore = await useSettings({ 'hearth.local.modelPath': '', 'hearth.local.modelsDir': modelsDir, 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    await hearthModel((m) => m.id === 'demo');
    const log = vscode.window.createOutputChannel('Hearth language model test', { log: true });
    const provider = new LocalLanguageModels({ modelsDir: () => modelsDir, hub: { get: () => Promise.reject(new Error('not used')), demoModelPath: () => demoDir }, log });
    try {
      const [demo] = await provider.provideLanguageModelChatInformation();
      assert.deepEqual(
        { id: demo?.id, maxInputTokens: demo?.maxInputTokens, maxOutputTokens: demo?.maxOutputTokens, capabilities: demo?.capabilities },
        { id: 'demo', maxInputTokens: 2048 - MAX_NEW_TOKENS, maxOutputTokens: MAX_NEW_TOKENS, capabilities: { toolCalling: false, imageInput: false } },
      );

      // A download finishes by writing its manifest into its folder: VS Code's list follows.
      const id = 'hearth-test--tool-call@0123456789ab';
      const installed = join(modelsDir, id);
      cpSync(ensureToolCallModel(join(root, 'tool-call-demo')), installed, { recursive: true });
      const manifest = {
        version: 1, repo: 'hearth-test/tool-call', commit: '0123456789abcdef0123456789abcdef01234567', revision: 'main', endpoint: 'https://huggingface.co',
        weights: 'onnx/model.onnx', files: [], downloadedAt: new Date().toISOString(),
      };
      writeFileSync(join(installed, 'hearth-model.json'), JSON.stringify(manifest));
      const listed = await hearthModel((m) => m.id === id);
      assert.equal(listed.maxInputTokens, TOOL_CALL_MODEL_CONTEXT - MAX_NEW_TOKENS);
      const info = (await provider.provideLanguageModelChatInformation()).find((m) => m.id === id);
      assert.deepEqual(info?.capabilities, { toolCalling: true, imageInput: false });
      assert.equal(info?.localModel, id);

      rmSync(installed, { recursive: true, force: true });
      await untilListed((ms) => !ms.some((m) => m.id === id));
    } finally {
      provider.dispose();
      log.dispose();
    }
  });

  it('answers each request with the model picked, switching the engine between them, also two at once', async () => {
    const modelsDir = join(root, 'models-switch');
    mkdirSync(modelsDir, { recursive: true });
    restore = await useSettings({ 'hearth.local.modelPath': '', 'hearth.local.modelsDir': modelsDir, 'hearth.local.maxNewTokens': MAX_NEW_TOKENS });
    const id = 'hearth-test--switch@0123456789ab';
    installToolCallModel(root, modelsDir, id);
    const installed = await hearthModel((m) => m.id === id);
    const demo = await hearthModel((m) => m.id === 'demo');
    const ask = async (model: vscode.LanguageModelChat) => (await collect(await model.sendRequest([vscode.LanguageModelChatMessage.User('Weather?')], {}))).text;
    assert.equal(await ask(installed), TOOL_CALL_TEXT);
    assert.match(await ask(demo), /^Hello! I am Hearth's built-in demo model/);
    assert.equal(await ask(installed), TOOL_CALL_TEXT, 'and back');
    const [first, second] = await Promise.all([ask(demo), ask(installed)]);
    assert.match(first, /^Hello! I am Hearth's built-in demo model/);
    assert.equal(second, TOOL_CALL_TEXT);
  });

  it('a request for an installed model that hearth.local.modelPath now overrides, or that was deleted, fails naming both and what to do', async () => {
    const modelsDir = join(root, 'models-gone');
    mkdirSync(modelsDir, { recursive: true });
    const id = 'hearth-test--gone@0123456789ab';
    const installed = installToolCallModel(root, modelsDir, id);
    const log = vscode.window.createOutputChannel('Hearth language model test', { log: true });
    const provider = new LocalLanguageModels({ modelsDir: () => modelsDir, hub: { get: () => Promise.reject(new Error('the engine is not asked')), demoModelPath: () => demoDir }, log });
    const none = new vscode.CancellationTokenSource().token;
    const send = (info: HearthModelInformation) => provider.provideLanguageModelChatResponse(info, [vscode.LanguageModelChatMessage.User('Hi')], {} as vscode.ProvideLanguageModelChatResponseOptions, { report: () => undefined }, none);
    try {
      restore = await useSettings({ 'hearth.local.modelPath': '' });
      const info = (await provider.provideLanguageModelChatInformation()).find((m) => m.id === id);
      assert.ok(info, 'the installed model is listed');
      await restore();
      restore = await useSettings({ 'hearth.local.modelPath': demoDir });
      await assert.rejects(send(info), (err: unknown) => {
        assert.ok(err instanceof vscode.LanguageModelError && err.code === vscode.LanguageModelError.NotFound.name, String(err));
        assert.match(err.message, /^hearth-test\/tool-call is not in use: hearth\.local\.modelPath is set, so Hearth's engine runs demo-model for every request\. Pick demo-model in the model picker, or clear hearth\.local\.modelPath/);
        return true;
      });
      await restore();
      restore = await useSettings({ 'hearth.local.modelPath': '' });
      rmSync(installed, { recursive: true, force: true });
      await assert.rejects(send(info), /is no longer installed .*Pick another model in the model picker, or download it again/);
    } finally {
      provider.dispose();
      log.dispose();
    }
  });
});
