// toolMode Required for a local model: the instruction in the system message, and the check of the answer.
import * as assert from 'node:assert/strict';
import { cannotCallTools, missingRequiredToolCall, requiredToolInstruction, withRequiredToolInstruction } from '../../../src/providers/local/requiredToolCall';

describe('a required tool call (toolMode Required) for a local model', () => {
  const weather = { name: 'get_weather', description: 'The forecast', parameters: { type: 'object' } };
  const time = { name: 'get_time', description: 'The time' };

  it('names the one tool, or all of them, in the instruction', () => {
    assert.match(requiredToolInstruction([weather]), /^You must answer by calling the tool get_weather\. Reply with the tool call only/);
    assert.match(requiredToolInstruction([weather, time]), /calling one of the tools get_weather, get_time\./);
  });

  it('adds the instruction to the system message, or puts a system message first', () => {
    const instruction = requiredToolInstruction([weather]);
    assert.deepEqual(withRequiredToolInstruction([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather?' }], [weather]), [
      { role: 'system', content: `Be brief.\n\n${instruction}` },
      { role: 'user', content: 'Weather?' },
    ]);
    assert.deepEqual(withRequiredToolInstruction([{ role: 'user', content: 'Weather?' }], [weather]), [
      { role: 'system', content: instruction },
      { role: 'user', content: 'Weather?' },
    ]);
  });

  it('accepts an answer that calls one of the offered tools, text or not', () => {
    assert.equal(missingRequiredToolCall('m', [weather, time], { text: '', calls: [{ name: 'get_time', arguments: {} }] }), undefined);
    assert.equal(missingRequiredToolCall('m', [weather], { text: 'Checking.', calls: [{ name: 'get_weather', arguments: { days: 3 } }] }), undefined);
  });

  it('says what the model did instead, and what to do, when no offered tool was called', () => {
    const text = missingRequiredToolCall('Qwen2.5 0.5B', [weather], { text: 'Hello!\nI am a model that talks a lot, and then some more, and more, and even more than that.', calls: [] });
    assert.match(text ?? '', /^The local model Qwen2\.5 0\.5B did not call a tool, though the request required one \(toolMode Required\): it answered in text \("Hello! I am a model/);
    assert.match(text ?? '', /…"\)\. .*try again, ask for the tool in the prompt, or pick a larger model/);
    assert.match(missingRequiredToolCall('m', [weather], { text: ' ', calls: [] }) ?? '', /: its answer was empty\./);
    assert.match(missingRequiredToolCall('m', [weather], { text: '', calls: [{ name: 'rm_rf', arguments: {} }] }) ?? '', /: it called rm_rf, which the request did not offer\./);
  });

  it('says why a model without tool calling cannot answer, and what to pick instead', () => {
    assert.match(cannotCallTools('Hearth demo model'), /^The local model Hearth demo model cannot call tools .* Pick a model whose capabilities include tool calling/);
  });
});
