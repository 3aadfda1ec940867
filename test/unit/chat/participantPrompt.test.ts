import * as assert from 'node:assert/strict';
import { buildCodeTaskPrompt } from '../../../src/chat/codeTasks';
import { buildParticipantMessages, followupsAfter, historyMessages, lastContexts, missingInput } from '../../../src/chat/participantPrompt';

const code = 'def add(a, b):\n    return a - b';
const selection = { label: 'math.py:1-2', content: code, languageId: 'python' };

describe('@hearth prompt', () => {
  it('turns the chat history into alternating messages, slash commands included', () => {
    const messages = historyMessages([
      { role: 'user', prompt: 'what is this?', command: 'explain' },
      { role: 'assistant', text: 'It adds.' },
      { role: 'user', prompt: 'and then?' },
      { role: 'assistant', text: 'Nothing.' },
    ]);
    assert.deepEqual(messages, [
      { role: 'user', content: '/explain what is this?' },
      { role: 'assistant', content: 'It adds.' },
      { role: 'user', content: 'and then?' },
      { role: 'assistant', content: 'Nothing.' },
    ]);
  });

  it('an earlier turn keeps the code it was given, and a follow-up can work on it again', () => {
    const history = [
      { role: 'user' as const, prompt: '', command: 'explain', contexts: [selection] },
      { role: 'assistant' as const, text: 'It subtracts.' },
      { role: 'user' as const, prompt: 'thanks' },
      { role: 'assistant' as const, text: 'You are welcome.' },
    ];
    const [first] = historyMessages(history);
    assert.match(first?.content ?? '', /^Explain this python code from math\.py:1-2/);
    assert.ok(first?.content.endsWith('```python\n' + code + '\n```'));
    assert.deepEqual(lastContexts(history), [selection]);
    assert.deepEqual(lastContexts([]), []);
  });

  it('leaves out failed answers with their questions, and questions that got no answer', () => {
    const messages = historyMessages([
      { role: 'user', prompt: 'first' },
      { role: 'assistant', text: 'The server said 500', failed: true },
      { role: 'user', prompt: 'cancelled before any text' },
      { role: 'user', prompt: 'second' },
      { role: 'assistant', text: 'answer' },
      { role: 'user', prompt: 'dangling' },
    ]);
    assert.deepEqual(messages, [
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'answer' },
    ]);
  });

  it('a slash command sends the prompt made for its task, with the code and what the user typed', () => {
    const messages = buildParticipantMessages({ systemPrompt: 'Be brief.', history: [], prompt: '', command: 'fix', contexts: [selection] });
    assert.deepEqual(messages[0], { role: 'system', content: 'Be brief.' });
    const user = messages.at(-1)?.content ?? '';
    assert.match(user, /^Find and fix the bugs in this python code from math\.py:1-2\./);
    assert.ok(user.endsWith('math.py:1-2:\n```python\n' + code + '\n```'));

    const tests = buildParticipantMessages({ systemPrompt: '', history: [], prompt: 'only edge cases', command: 'tests', contexts: [selection] });
    assert.equal(tests.length, 1, 'no system message when the system prompt is empty');
    assert.match(tests[0]?.content ?? '', /pytest/);
    assert.match(tests[0]?.content ?? '', /The user adds: only edge cases/);
  });

  it('the instruction is the same one the editor actions and the composer use', () => {
    const fromParticipant = buildParticipantMessages({ systemPrompt: '', history: [], prompt: '', command: 'doc', contexts: [selection] })[0]?.content ?? '';
    const fromTasks = buildCodeTaskPrompt('doc', { code, languageId: 'python', fileName: 'math.py:1-2' });
    assert.equal(fromParticipant.split('\n\n')[0], fromTasks.split('\n\n')[0]);
  });

  it('without a command: the attached code first, then the question, after the history', () => {
    const messages = buildParticipantMessages({
      systemPrompt: '',
      history: [
        { role: 'user', prompt: 'hi' },
        { role: 'assistant', text: 'hello' },
      ],
      prompt: 'why subtract?',
      contexts: [selection, { label: 'notes.txt', content: 'plain' }],
    });
    assert.equal(messages.length, 3);
    assert.equal(messages[2]?.content, 'math.py:1-2:\n```python\n' + code + '\n```\n\nnotes.txt:\n```\nplain\n```\n\nwhy subtract?');
  });

  it('says what is missing: code for a command, a question without one, an unknown command', () => {
    assert.match(missingInput({ prompt: '', command: 'explain', contexts: [] }) ?? '', /\/explain needs code: select some/);
    assert.match(missingInput({ prompt: ' ', contexts: [] }) ?? '', /Ask @hearth a question/);
    assert.match(missingInput({ prompt: 'x', command: 'deploy', contexts: [] }) ?? '', /no \/deploy command/);
    assert.equal(missingInput({ prompt: '', command: 'review', contexts: [selection] }), undefined);
    assert.equal(missingInput({ prompt: 'hello', contexts: [] }), undefined);
  });

  it('suggests the next job on the same code after each command', () => {
    assert.deepEqual(followupsAfter('explain', true).map((f) => f.command), ['tests', 'doc']);
    assert.deepEqual(followupsAfter('fix', true).map((f) => f.command), ['tests', 'review']);
    assert.deepEqual(followupsAfter('review', true).map((f) => f.command), ['fix']);
    assert.deepEqual(followupsAfter(undefined, true).map((f) => f.command), ['explain']);
    assert.deepEqual(followupsAfter('explain', false), [{ prompt: 'Show that as code', label: 'Show it as code' }]);
    for (const f of followupsAfter('fix', true)) assert.ok(f.prompt && f.label);
  });
});
