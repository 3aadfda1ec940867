// Every command the manifest contributes is registered once Hearth is active.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateHearth, hearthExtension } from './support/hearth';

interface ContributedCommand {
  command: string;
  title: string;
}

describe('commands', () => {
  before(activateHearth);

  it('registers every contributed command', async () => {
    const contributed = (hearthExtension().packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the commands the panel and docs rely on', () => {
    const contributed = new Set((hearthExtension().packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command));
    for (const id of ['hearth.openChat', 'hearth.newChat', 'hearth.stopGenerating', 'hearth.selectProvider', 'hearth.selectModel', 'hearth.setApiKey', 'hearth.clearApiKey', 'hearth.showConversations', 'hearth.exportConversation']) {
      assert.ok(contributed.has(id), `${id} is contributed`);
    }
  });
});
