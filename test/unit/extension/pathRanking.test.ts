import * as assert from 'node:assert/strict';
import { rankPaths, scorePath } from '../../../src/extension/pathRanking';

describe('#file: completion ranking', () => {
  const paths = ['src/extension/applyTarget.ts', 'test/unit/extension/apply.test.ts', 'docs/apple.md', 'src/webview/app.ts', 'README.md'];

  it('puts exact and leading file-name matches before matches in folders', () => {
    assert.equal(rankPaths(paths, 'app.ts', 10)[0], 'src/webview/app.ts');
    assert.deepEqual(rankPaths(paths, 'apply', 10), ['src/extension/applyTarget.ts', 'test/unit/extension/apply.test.ts'], 'both names start so: the shorter path first');
    assert.equal(rankPaths(paths, 'extension/app', 1)[0], 'src/extension/applyTarget.ts');
  });

  it('matches characters in order (fuzzy), case-insensitively, and drops what does not match', () => {
    assert.deepEqual(rankPaths(paths, 'READ', 10), ['README.md']);
    assert.ok(scorePath('src/extension/applyTarget.ts', 'apt') !== undefined);
    assert.equal(scorePath('README.md', 'xyz'), undefined);
  });

  it('caps the list, and an empty query lists the shortest paths first', () => {
    assert.equal(rankPaths(paths, '', 3).length, 3);
    assert.equal(rankPaths(paths, '', 1)[0], 'README.md');
  });
});
