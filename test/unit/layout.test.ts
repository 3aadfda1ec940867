// Folders say where code may run: only src/extension/ may import `vscode`.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(__dirname, '..', '..');
const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;
const importsNode = /(?:from\s+['"](?:node:)?(?:fs|path|child_process|os|net|http|https|crypto|worker_threads)(?:\/[a-z]+)?['"])/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('source layout', () => {
  const files = sourceFiles(join(root, 'src')).map((f) => relative(root, f).split(sep).join('/'));

  it('finds the source tree', () => {
    assert.ok(files.some((f) => f.startsWith('src/extension/')), 'no files under src/extension/');
  });

  it('imports vscode only under src/extension/', () => {
    const offenders = files.filter(
      (f) => !f.startsWith('src/extension/') && importsVscode.test(readFileSync(join(root, f), 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('keeps Node built-ins out of the webview and the shared protocol', () => {
    const offenders = files.filter(
      (f) =>
        (f.startsWith('src/webview/') || f.startsWith('src/protocol/')) &&
        importsNode.test(readFileSync(join(root, f), 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('detects a vscode import (the check itself can fail)', () => {
    assert.ok(importsVscode.test("import * as vscode from 'vscode';"));
    assert.ok(importsVscode.test("const v = require('vscode')"));
    assert.ok(!importsVscode.test("import { z } from 'zod';"));
  });
});
