// Tool calls in a local model's answer: Hermes/Qwen tags, Llama 3.2 JSON, and text that only looks like them.
import * as assert from 'node:assert/strict';
import { parseToolCalls, ToolCallStream } from '../../../src/providers/local/toolCallParser';

describe('tool-call parser', () => {
  it('reads Hermes/Qwen <tool_call> blocks, keeping the text around them', () => {
    const answer = 'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>\n<tool_call>\n{"name": "get_time", "arguments": {}}\n</tool_call>';
    assert.deepEqual(parseToolCalls(answer), {
      text: 'Let me check.',
      calls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_time', arguments: {} },
      ],
    });
  });

  it('reads a block whose closing tag the model never wrote, and arguments given as a JSON string', () => {
    assert.deepEqual(parseToolCalls('<tool_call>\n{"name": "f", "arguments": "{\\"x\\": 1}"}'), { text: '', calls: [{ name: 'f', arguments: { x: 1 } }] });
  });

  it('reads Llama 3.2 JSON (parameters), with or without <|python_tag|>, and a list of calls', () => {
    assert.deepEqual(parseToolCalls('{"name": "get_weather", "parameters": {"days": 3}}'), { text: '', calls: [{ name: 'get_weather', arguments: { days: 3 } }] });
    assert.deepEqual(parseToolCalls('<|python_tag|>{"name": "f", "parameters": {}}').calls, [{ name: 'f', arguments: {} }]);
    assert.deepEqual(parseToolCalls('[{"name": "a", "parameters": {}}, {"name": "b", "arguments": {"y": true}}]').calls, [
      { name: 'a', arguments: {} },
      { name: 'b', arguments: { y: true } },
    ]);
  });

  it('leaves text that is not a well-formed call as text', () => {
    for (const answer of [
      'Plain answer with no call.',
      '{"answer": 42}',
      '{"name": "", "arguments": {}}',
      '{"name": "f", "arguments": [1, 2]}',
      '<tool_call>\n{not json}\n</tool_call>',
      '[{"name": "a", "parameters": {}}, 3]',
    ]) {
      assert.deepEqual(parseToolCalls(answer), { text: answer, calls: [] }, answer);
    }
  });

  describe('streaming', () => {
    const run = (deltas: string[]): { shown: string[]; final: ReturnType<ToolCallStream['finish']> } => {
      const stream = new ToolCallStream();
      const shown = deltas.map((d) => stream.push(d)).filter(Boolean);
      return { shown, final: stream.finish() };
    };

    it('streams text and holds back from <tool_call> on, even when the tag arrives split', () => {
      const { shown, final } = run(['Checking', ' the weather. <to', 'ol_call>\n{"name": "w", ', '"arguments": {}}\n</tool_call>']);
      assert.deepEqual(shown, ['Checking', ' the weather. ']);
      assert.deepEqual(final, { text: '', calls: [{ name: 'w', arguments: {} }] });
    });

    it('holds an answer that starts like JSON until it ends, and gives it back as text when it is no call', () => {
      const call = run(['{"name": "w", ', '"parameters": {}}']);
      assert.deepEqual(call.shown, []);
      assert.deepEqual(call.final.calls, [{ name: 'w', arguments: {} }]);
      const json = run(['{"answer"', ': 42}']);
      assert.deepEqual(json.shown, []);
      assert.deepEqual(json.final, { text: '{"answer": 42}', calls: [] });
    });

    it('lets a "<" that starts no tag through once it is clear', () => {
      const { shown, final } = run(['a <', 'b> c']);
      assert.equal(shown.join('') + final.text, 'a <b> c');
      assert.deepEqual(final.calls, []);
    });
  });
});
