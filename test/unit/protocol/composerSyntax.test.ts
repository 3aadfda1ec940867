import * as assert from 'node:assert/strict';
import { distinctMentions, fileMentionText, findMentions, parseComposerInput } from '../../../src/protocol/composerSyntax';

describe('composer syntax: slash commands and #mentions', () => {
  it('reads a leading command and keeps the rest as the request', () => {
    assert.deepEqual(parseComposerInput('/fix the null check please'), { command: 'fix', request: 'the null check please', mentions: [] });
    assert.deepEqual(parseComposerInput('  /Explain\n'), { command: 'explain', request: '', mentions: [] });
    assert.deepEqual(parseComposerInput('/review'), { command: 'review', request: '', mentions: [] });
  });

  it('is no command when the slash is not at the start or is part of a path', () => {
    assert.equal(parseComposerInput('please /fix this').command, undefined);
    assert.equal(parseComposerInput('/usr/bin/env is missing').command, undefined);
    assert.equal(parseComposerInput('/usr/bin/env is missing').request, '/usr/bin/env is missing');
  });

  it('finds #selection, #problems, #file and #file:path with their places', () => {
    const text = 'Why does #file:src/a.ts fail with #problems? See #selection.';
    const mentions = findMentions(text);
    assert.deepEqual(
      mentions.map((m) => ({ ...m, text: text.slice(m.start, m.end) })),
      [
        { kind: 'file', path: 'src/a.ts', start: 9, end: 23, text: '#file:src/a.ts' },
        { kind: 'problems', start: 34, end: 43, text: '#problems' },
        { kind: 'selection', start: 49, end: 59, text: '#selection' },
      ],
    );
    assert.deepEqual(findMentions('#file'), [{ kind: 'file', start: 0, end: 5 }]);
  });

  it('takes a quoted path with spaces, and leaves sentence punctuation out of a bare one', () => {
    assert.deepEqual(findMentions('read #file:"docs/My Notes.md" now'), [{ kind: 'file', path: 'docs/My Notes.md', start: 5, end: 29 }]);
    assert.equal(findMentions('look at #file:src/x.ts, then').at(0)?.path, 'src/x.ts');
    assert.equal(fileMentionText('docs/My Notes.md'), '#file:"docs/My Notes.md"');
    assert.equal(fileMentionText('src/a.ts'), '#file:src/a.ts');
  });

  it('ignores what only looks like a mention', () => {
    assert.deepEqual(findMentions('#include <stdio.h>'), []);
    assert.deepEqual(findMentions('issue#selection and a#file'), []);
    assert.deepEqual(findMentions('#selection:foo'), []);
    assert.deepEqual(findMentions('#filename'), []);
  });

  it('counts the same mention once', () => {
    assert.equal(distinctMentions(findMentions('#file:a.ts and #file:a.ts and #file:b.ts #selection #selection')).length, 3);
  });
});
