// Tools through the engine: a chat template that takes tools gets them (and the conversation's calls
// and results, laid out as the model reads them); one that does not is told nothing. The wired
// tool-call model (models/toolCallModel.ts) answers with a call the parser reads.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_MODELS_ROOT } from '../../../models/testModels';
import { ensureToolCallModel, TOOL_CALL_MODEL_CONTEXT, TOOL_CALL_TEXT } from '../../../models/toolCallModel';
import { loadModel, type LoadedModel } from '../../../src/engine';
import type { EngineMessage, ToolSpec } from '../../../src/protocol/engine';
import { parseToolCalls } from '../../../src/providers/local/toolCallParser';
import { answer, greedy, modelDir } from './engineTestSupport';

const tools: ToolSpec[] = [{ name: 'get_weather', description: 'The forecast for the next days', parameters: { type: 'object', properties: { days: { type: 'number' } } } }];
const question: EngineMessage[] = [{ role: 'user', content: 'Weather?' }];

describe('tools in the engine', function () {
  this.timeout(60_000);
  let toolModel: LoadedModel;
  let chatml: LoadedModel;

  before(async () => {
    toolModel = await loadModel(ensureToolCallModel(join(DEFAULT_MODELS_ROOT, 'tool-call-demo')));
    chatml = await loadModel(await modelDir('tiny-standard-tjs'));
  });

  after(async () => {
    await toolModel?.dispose();
    await chatml?.dispose();
  });

  it('gives the tools to a template that takes them', () => {
    assert.equal(toolModel.text.supportsTools, true);
    assert.equal(toolModel.info.contextWindow, TOOL_CALL_MODEL_CONTEXT);
    const prompt = toolModel.text.renderChat(question, 'auto', true, tools);
    assert.match(prompt, /<tools>\n\{"type": "function", "function": \{"name": "get_weather", "description": "The forecast for the next days", "parameters": /);
    assert.doesNotMatch(toolModel.text.renderChat(question), /<tools>/);
    assert.ok(toolModel.countTokens(question, tools) > toolModel.countTokens(question) + 20, 'the tools take room in the prompt');
  });

  it("lays out an assistant's calls and the tool results as the model's template does", () => {
    const followUp: EngineMessage[] = [
      ...question,
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { days: 3 } }] },
      { role: 'tool', content: 'Sunny', toolCallId: 'c1' },
    ];
    const prompt = toolModel.text.renderChat(followUp, 'auto', true, tools);
    assert.ok(
      prompt.endsWith('<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"days": 3}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\nSunny\n</tool_response><|im_end|>\n<|im_start|>assistant\n'),
      prompt,
    );
  });

  it('tells a template without tools nothing (the model answers in text)', () => {
    assert.equal(chatml.text.supportsTools, false);
    assert.equal(chatml.text.renderChat(question, 'auto', true, tools), chatml.text.renderChat(question));
  });

  it('the wired tool-call model answers with a call the parser reads', async () => {
    const a = await answer(toolModel, { messages: question, tools, sampling: greedy });
    assert.equal(a.text, TOOL_CALL_TEXT);
    assert.deepEqual(parseToolCalls(a.text), { text: '', calls: [{ name: 'get_weather', arguments: { days: 3 } }] });
  });
});
