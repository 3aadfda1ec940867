// Hearth is installed in the extension host, activates, and hands back the testing API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateHearth, hearthExtension } from './support/hearth';

describe('activation', () => {
  it('is present in the extension host', () => {
    const extension = hearthExtension();
    assert.equal(extension.packageJSON.publisher, 'hearth-dev');
    assert.equal(extension.packageJSON.name, 'hearth');
  });

  it('activates and returns the testing API', async () => {
    const api = await activateHearth();
    assert.ok(hearthExtension().isActive);
    const subscription = api.testing.onDidPostToWebview(() => undefined);
    subscription.dispose();
  });

  it('runs in this editor host', () => {
    // Under code-server the suite runs in VS Code's remote (Node) extension host; under test-electron, the desktop's.
    assert.ok([vscode.UIKind.Web, vscode.UIKind.Desktop].includes(vscode.env.uiKind));
    assert.ok(process.versions.node, 'the extension host is a Node process');
  });
});
