// The README's command and settings tables must list everything the manifest contributes, and
// the README must survive `vsce package` (it becomes the Marketplace page).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { description?: string }> } };
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('documentation', () => {
  it('documents every command in the README', () => {
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !readme.includes(`\`${id}\``));
    assert.deepEqual(missing, []);
  });

  it('documents every setting in the README, and each has a description', () => {
    const entries = Object.entries(manifest.contributes.configuration.properties);
    assert.ok(entries.length > 0);
    assert.deepEqual(entries.filter(([key]) => !readme.includes(`\`${key}\``)).map(([key]) => key), []);
    assert.deepEqual(entries.filter(([, v]) => !v.description?.trim()).map(([key]) => key), []);
  });

  it('links only to absolute URLs in the README (vsce refuses relative links without a repository)', () => {
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((target) => !/^(https?:|mailto:|#)/.test(target));
    assert.deepEqual(relative, []);
  });
});
