// Every contributed setting is known to VS Code with the manifest's default, and documented.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hearthExtension } from './support/hearth';

interface ContributedSetting {
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}

describe('settings', () => {
  const properties = (): Record<string, ContributedSetting> =>
    hearthExtension().packageJSON.contributes.configuration.properties as Record<string, ContributedSetting>;

  it('contributes settings under hearth.*', () => {
    const keys = Object.keys(properties());
    assert.ok(keys.length > 0);
    assert.deepEqual(keys.filter((k) => !k.startsWith('hearth.')), []);
  });

  it('gives every setting the manifest default', () => {
    const config = vscode.workspace.getConfiguration();
    for (const [key, setting] of Object.entries(properties())) {
      assert.ok('default' in setting, `${key} declares a default`);
      assert.deepEqual(config.inspect(key)?.defaultValue, setting.default, `${key}: VS Code's default matches the manifest`);
    }
  });

  it('describes every setting', () => {
    for (const [key, setting] of Object.entries(properties())) {
      const text = setting.markdownDescription ?? setting.description ?? '';
      assert.ok(text.trim().length >= 10, `${key} has a description`);
    }
  });

  it('defaults to the local provider', () => {
    assert.equal(vscode.workspace.getConfiguration('hearth').inspect('provider')?.defaultValue, 'local');
  });
});
