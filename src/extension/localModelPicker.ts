// The local provider's model picker: installed models (with disk use, deletable), the bundled demo
// model, and the ways to get another one.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { catalog } from '../hub/catalog';
import { formatBytes } from '../hub/downloadProgress';
import { deleteModelDir, type InstalledModel, listInstalled } from '../hub/modelStore';

interface Item extends vscode.QuickPickItem {
  run(): Promise<void>;
  installed?: InstalledModel;
}

const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this model from disk' };

export function displayName(m: InstalledModel): string {
  return catalog().models.find((c) => c.id === m.manifest.catalogId)?.name ?? m.manifest.repo;
}

export async function pickLocalModel(controller: ChatController, modelsDir: string): Promise<void> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Hearth: local model for this conversation';
  pick.placeholder = 'Pick an installed model, or download one';
  const current = controller.current.model;

  const refresh = async (): Promise<void> => {
    const installed = await listInstalled(modelsDir);
    const choose = (id: string | undefined) => async () => {
      await controller.selectModel(id); // undefined: the default (bundled demo) model answers
      await controller.settingsChanged();
    };
    pick.items = [
      { label: 'Installed', kind: vscode.QuickPickItemKind.Separator, run: async () => undefined },
      ...installed.map((m) => ({
        label: `${m.id === current ? '$(check) ' : ''}${displayName(m)}`,
        description: `${formatBytes(m.diskBytes)} on disk`,
        detail: `${m.manifest.repo} @ ${m.manifest.commit.slice(0, 12)} · ${m.manifest.weights}`,
        buttons: [deleteButton],
        installed: m,
        run: choose(m.id),
      })),
      { label: `${current ? '' : '$(check) '}Demo model (bundled)`, description: 'a wired test model, not a useful assistant', run: choose(undefined) },
      { label: 'More', kind: vscode.QuickPickItemKind.Separator, run: async () => undefined },
      { label: '$(cloud-download) Download a model…', run: async () => void (await vscode.commands.executeCommand('hearth.downloadModel')) },
      { label: '$(folder-opened) Use a folder on disk…', run: async () => void (await vscode.commands.executeCommand('hearth.downloadModel', { source: 'folder' })) },
    ];
  };

  await refresh();
  const done = new Promise<Item | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.onDidTriggerItemButton(async (e) => {
      const m = e.item.installed;
      if (!m) return;
      const answer = await vscode.window.showWarningMessage(`Delete ${displayName(m)} (${formatBytes(m.diskBytes)}) from disk?`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return pick.show();
      await deleteModelDir(m.dir);
      if (m.id === controller.current.model) await controller.selectModel(undefined);
      await controller.settingsChanged(); // the panel's model picker forgets it
      await refresh();
      pick.show();
    });
  });
  pick.show();
  const chosen = await done;
  pick.dispose();
  await chosen?.run();
}
