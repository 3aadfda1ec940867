// "Hearth: Download Model…" (catalog, Hugging Face search or a folder on disk), "Hearth: Set Hugging
// Face Token" and the local model picker; a downloaded model then answers in the current conversation.
import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { catalog, variantFor } from '../hub/catalog';
import { formatBytes } from '../hub/downloadProgress';
import { memoryRefusal } from '../hub/memoryCheck';
import type { DownloadRequest } from '../hub/modelDownloader';
import { type InstalledModel, installedDir, listInstalled, readManifest } from '../hub/modelStore';
import { ProviderError } from '../providers/types';
import type { ApiKeys } from './apiKeys';
import { cancelAllDownloads, reportFailure, runDownload } from './downloadNotification';
import { HUB_TOKEN_ID, hubEndpoint, hubToken, modelsDir } from './hubSettings';
import { pickLocalModel } from './localModelPicker';
import { deviceKind, pickSearchHit, pickSource, type SourcePick } from './modelSourcePicks';
import { readSettings } from './settings';
import { userTrustedFetch } from './userTrustedFetch';

export interface ModelDownloadDeps {
  context: vscode.ExtensionContext;
  controller: ChatController;
  keys: ApiKeys;
  log: vscode.LogOutputChannel;
}

/** What the command accepts from other commands and tests: a catalog id, or a source to start from. */
type DownloadArg = string | { source: 'catalog' | 'search' | 'folder'; repo?: string } | undefined;

async function useFolder(controller: ChatController): Promise<void> {
  const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Hearth: choose a local ONNX model folder', openLabel: 'Use this model' });
  if (!folders?.[0]) return;
  await vscode.workspace.getConfiguration('hearth').update('local.modelPath', folders[0].fsPath, vscode.ConfigurationTarget.Global);
  if ((controller.current.providerId ?? readSettings().provider) !== 'local') await controller.selectProvider('local');
}

/** Makes the downloaded model answer in the current conversation (on the local provider). */
async function useInstalled(controller: ChatController, installed: InstalledModel, name: string): Promise<void> {
  if ((controller.current.providerId ?? readSettings().provider) !== 'local') await controller.selectProvider('local');
  await controller.selectModel(installed.id);
  await controller.settingsChanged(); // the panel's model picker lists the new model
  const override = readSettings().local.modelPath.trim();
  const note = override ? ` hearth.local.modelPath (${override}) still overrides it: clear that setting to use it.` : ' It answers in this conversation.';
  void vscode.window.showInformationMessage(`Hearth: ${name} is ready (${formatBytes(installed.diskBytes)}).${note}`);
}

/**
 * The folder of the installed model a conversation chose, for the local provider; throws (before the
 * engine loads anything) when the model cannot fit in this machine's memory.
 */
export async function resolveInstalledModel(context: vscode.ExtensionContext, id: string): Promise<string | undefined> {
  const dir = await installedDir(modelsDir(context), id);
  const manifest = dir && (await readManifest(dir));
  const refusal = manifest && memoryRefusal(manifest, totalmem());
  if (refusal) throw new ProviderError('badModel', refusal, 'Pick a smaller model with Hearth: Select Model, or Hearth: Download Model….');
  return dir;
}

/** Ids of the downloaded models, for the panel's model picker (unreadable folder: none). */
export async function installedModelIds(context: vscode.ExtensionContext): Promise<string[]> {
  return (await listInstalled(modelsDir(context)).catch(() => [])).map((m) => m.id);
}

export function registerModelDownloads(deps: ModelDownloadDeps): vscode.Disposable[] {
  const { context, controller, keys } = deps;

  const download = async (arg?: DownloadArg): Promise<string | undefined> => {
    let source: SourcePick | undefined;
    if (typeof arg === 'string') {
      const entry = catalog().models.find((m) => m.id === arg);
      if (!entry) throw new Error(`Unknown catalog model "${arg}".`);
      source = { label: entry.name, entry };
    } else if (arg?.source === 'search' || arg?.source === 'folder') source = { label: '', source: arg.source };
    else source = await pickSource(modelsDir(context));
    if (!source) return undefined;
    if (source.source === 'folder') return void (await useFolder(controller));
    let request: DownloadRequest;
    let name: string;
    if (source.entry) {
      const entry = source.entry;
      const device = deviceKind();
      request = { repo: entry.repo, revision: entry.revision, variant: variantFor(entry, device), device, catalogId: entry.id };
      name = entry.name;
    } else {
      let repo: string | undefined;
      try {
        repo = typeof arg === 'object' && arg.repo ? arg.repo : await pickSearchHit(hubEndpoint(), await hubToken(keys), userTrustedFetch());
      } catch (e) {
        return void reportFailure(deps.log, e, 'the search');
      }
      if (!repo) return undefined;
      request = { repo, revision: 'main', device: deviceKind() };
      name = repo;
    }
    const token = await hubToken(keys);
    const installed = await runDownload({ endpoint: hubEndpoint(), modelsDir: modelsDir(context), ...(token ? { token } : {}), fetch: userTrustedFetch(), log: deps.log }, request, name);
    if (!installed) return undefined;
    await useInstalled(controller, installed, name);
    return installed.id;
  };

  return [
    vscode.commands.registerCommand('hearth.downloadModel', (arg?: DownloadArg) => download(arg)),
    // With { id }: no picker (other commands, tests); id null goes back to the default model.
    vscode.commands.registerCommand('hearth.selectLocalModel', async (arg?: { id: string | null }) => {
      if (!arg) return pickLocalModel(controller, modelsDir(context));
      await controller.selectModel(arg.id ?? undefined);
      await controller.settingsChanged();
    }),
    vscode.commands.registerCommand('hearth.cancelModelDownloads', () => cancelAllDownloads()),
    vscode.commands.registerCommand('hearth.setHubToken', async (arg?: unknown) => {
      const endpoint = hubEndpoint();
      const token =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: `Hearth: Hugging Face access token for ${new URL(endpoint).host}`,
              prompt: 'For gated or private models (a read token from your Hugging Face settings). Stored in SecretStorage for this hub only; empty removes it.',
              password: true,
              ignoreFocusOut: true,
            });
      if (token === undefined) return;
      if (!token.trim()) {
        await keys.clear(HUB_TOKEN_ID, endpoint);
        void vscode.window.showInformationMessage(`Hearth: Hugging Face token for ${new URL(endpoint).host} removed.`);
        return;
      }
      await keys.set(HUB_TOKEN_ID, endpoint, token.trim());
      void vscode.window.showInformationMessage(`Hearth: Hugging Face token saved for ${new URL(endpoint).host}.`);
    }),
  ];
}
