import * as assert from 'node:assert/strict';
import {
  buildCodeTaskPrompt,
  codeTaskFromSlash,
  codeTaskIds,
  codeTaskInstruction,
  codeTasks,
  fenceCode,
} from '../../../src/chat/codeTasks';

const code = 'function add(a, b) {\n  return a - b;\n}';

describe('code tasks', () => {
  it('names the five tasks with their slash commands and editor commands', () => {
    assert.deepEqual([...codeTaskIds], ['explain', 'fix', 'tests', 'doc', 'review']);
    assert.deepEqual(codeTaskIds.map((id) => codeTasks[id].slash), ['/explain', '/fix', '/tests', '/doc', '/review']);
    assert.deepEqual(
      codeTaskIds.map((id) => codeTasks[id].command),
      ['hearth.explain', 'hearth.fix', 'hearth.writeTests', 'hearth.addDocs', 'hearth.review'],
    );
    for (const id of codeTaskIds) assert.ok(codeTasks[id].label && codeTasks[id].description, id);
  });

  it('finds a task from its slash command, with or without the slash', () => {
    assert.equal(codeTaskFromSlash('/tests'), 'tests');
    assert.equal(codeTaskFromSlash('doc'), 'doc');
    assert.equal(codeTaskFromSlash('/nope'), undefined);
    assert.equal(codeTaskFromSlash(''), undefined);
  });

  it('every prompt ends with the code in a fence tagged with its language', () => {
    for (const id of codeTaskIds) {
      const prompt = buildCodeTaskPrompt(id, { code, languageId: 'javascript', fileName: 'math.js' });
      assert.ok(prompt.endsWith('```javascript\n' + code + '\n```'), id);
      assert.match(prompt, /javascript code from math\.js/, id);
    }
  });

  it('fix lists the diagnostics with line, severity and source and asks for one fenced block', () => {
    const prompt = buildCodeTaskPrompt('fix', {
      code,
      languageId: 'typescript',
      diagnostics: [
        { message: "Cannot find name 'x'.", severity: 'error', line: 2, source: 'ts' },
        { message: 'Unused\nvariable', severity: 'warning', line: 3 },
      ],
    });
    assert.match(prompt, /- line 2, error \(ts\): Cannot find name 'x'\./);
    assert.match(prompt, /- line 3, warning: Unused variable/);
    assert.match(prompt, /corrected code in one fenced code block/);
  });

  it('fix without diagnostics asks to find the bugs', () => {
    assert.match(codeTaskInstruction('fix', { languageId: 'python' }), /Find and fix the bugs in this python code/);
  });

  it('tests name the framework the language usually uses', () => {
    assert.match(codeTaskInstruction('tests', { languageId: 'python' }), /pytest/);
    assert.match(codeTaskInstruction('tests', { languageId: 'java' }), /JUnit 5/);
    assert.match(codeTaskInstruction('tests', { languageId: 'rust' }), /#\[test\]/);
    assert.match(codeTaskInstruction('tests', { languageId: 'typescript' }), /Vitest/);
    assert.match(codeTaskInstruction('tests', { languageId: 'cobol' }), /the test framework cobol projects usually use/);
  });

  it('doc names the language doc-comment convention and keeps the code unchanged', () => {
    assert.match(codeTaskInstruction('doc', { languageId: 'python' }), /docstrings/);
    assert.match(codeTaskInstruction('doc', { languageId: 'csharp' }), /<summary>/);
    assert.match(codeTaskInstruction('doc', { languageId: 'go' }), /starting with its name/);
    assert.match(codeTaskInstruction('doc', { languageId: 'typescript' }), /\/\*\* \.\.\. \*\//);
    assert.match(codeTaskInstruction('doc', { languageId: 'typescript' }), /Do not change any code/);
  });

  it('explain and review say what they are for, and the user request is kept', () => {
    assert.match(codeTaskInstruction('explain', { languageId: 'go' }), /^Explain this go code/);
    const review = codeTaskInstruction('review', { languageId: 'go', request: '  focus on errors ' });
    assert.match(review, /^Review this go code/);
    assert.match(review, /The user adds: focus on errors$/);
    assert.match(codeTaskInstruction('explain', { languageId: 'plaintext' }), /plain text code/);
  });

  it('a fence outlasts any backtick run inside the code', () => {
    const fenced = fenceCode('const s = `a ``` b`;', 'typescript');
    assert.ok(fenced.startsWith('````typescript\n'));
    assert.ok(fenced.endsWith('\n````'));
  });
});
