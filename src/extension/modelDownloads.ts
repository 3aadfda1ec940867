// "Hearth: Download Model…": the catalog (what fits this machine first), a Hugging Face search, or a
// folder on disk; the download runs under a progress notification with Cancel, and the model then
// answers in the current conversation. Also "Hearth: Set Hugging Face Token" and the local model picker.
import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { catalog, fitsMemory, requiredMemoryBytes, variantFor } from '../hub/catalog';
import type { CatalogEntry } from '../hub/catalogSchema';
import { formatBytes, formatEta } from '../hub/downloadProgress';
import { HubError } from '../hub/hubError';
import type { DownloadRequest } from '../hub/modelDownloader';
import { memoryRefusal } from '../hub/memoryCheck';
import { type InstalledModel, installedDir, listInstalled, readManifest } from '../hub/modelStore';
import { ProviderError } from '../providers/types';
import type { ApiKeys } from './apiKeys';
import { HUB_TOKEN_ID, hubEndpoint, hubToken, modelsDir } from './hubSettings';
import { pickLocalModel } from './localModelPicker';
import { readSettings } from './settings';

export interface ModelDownloadDeps {
  context: vscode.ExtensionContext;
  controller: ChatController;
  keys: ApiKeys;
  log: vscode.LogOutputChannel;
}

/** What the command accepts from other commands and tests: a catalog id, or a source to start from. */
type DownloadArg = string | { source: 'catalog' | 'search' | 'folder'; repo?: string } | undefined;

interface SourcePick extends vscode.QuickPickItem {
  entry?: CatalogEntry;
  source?: 'search' | 'folder';
}

const GPU_DEVICES = ['cuda', 'dml', 'coreml', 'webgpu'];

function deviceKind(): 'cpu' | 'gpu' {
  return GPU_DEVICES.includes(readSettings().local.device) ? 'gpu' : 'cpu';
}

function catalogItems(installed: InstalledModel[]): SourcePick[] {
  const ram = totalmem();
  const device = deviceKind();
  const rank = { fits: 0, tight: 1, 'too-big': 2 } as const;
  const entries = catalog().models.map((entry) => ({ entry, variant: variantFor(entry, device) }));
  entries.sort((a, b) => rank[fitsMemory(a.variant, ram)] - rank[fitsMemory(b.variant, ram)]);
  return entries.map(({ entry, variant }) => {
    const fit = fitsMemory(variant, ram);
    const fitText =
      fit === 'fits'
        ? `fits this machine (${formatBytes(ram)} RAM)`
        : `$(warning) needs about ${formatBytes(requiredMemoryBytes(variant))} of memory; this machine has ${formatBytes(ram)}${fit === 'tight' ? ': tight' : ''}`;
    const isInstalled = installed.some((m) => m.manifest.repo === entry.repo && m.manifest.weights === variant.weights);
    return {
      label: `${isInstalled ? '$(check) ' : ''}${entry.name}`,
      description: `${entry.params} · ${Math.round(entry.contextWindow / 1024)}k context · ${entry.license} · ${entry.strengths.join(', ')}`,
      detail: `${variant.dtype} for the ${variant.device.toUpperCase()} · ${formatBytes(variant.approxBytes)} download · ${fitText}`,
      entry,
    };
  });
}

async function pickSource(context: vscode.ExtensionContext): Promise<SourcePick | undefined> {
  const installed = await listInstalled(modelsDir(context));
  return vscode.window.showQuickPick<SourcePick>(
    [
      ...catalogItems(installed),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(search) Search Hugging Face…', detail: 'ONNX text-generation models of families Hearth runs', source: 'search' },
      { label: '$(folder-opened) Use a folder on disk…', detail: 'an ONNX model folder you already have', source: 'folder' },
    ],
    { title: 'Hearth: download a local model', placeHolder: 'Pick a model; the first ones fit this machine', matchOnDescription: true, matchOnDetail: true },
  );
}

async function pickSearchHit(deps: ModelDownloadDeps, initial?: string): Promise<string | undefined> {
  const query = initial ?? (await vscode.window.showInputBox({ title: 'Hearth: search Hugging Face', prompt: 'Words in the model name, e.g. qwen instruct' }));
  if (!query?.trim()) return undefined;
  const token = await hubToken(deps.keys);
  // Loaded on first use, like the providers' SDKs: activation stays cheap.
  const { searchModels } = await import('../hub/hubSearch');
  const hits = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Hearth: searching Hugging Face…' }, () =>
    searchModels(query.trim(), { endpoint: hubEndpoint(), ...optional('token', token) }),
  );
  if (!hits.length) {
    void vscode.window.showInformationMessage(`Hearth: no ONNX chat model of a family Hearth runs matches "${query}".`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    hits.map((h) => ({ label: h.repo, description: `${h.modelType}${h.gated ? ' · gated' : ''}`, detail: `${h.downloads} downloads · ${h.likes} likes`, repo: h.repo })),
    { title: `Hearth: ${hits.length} models for "${query}"` },
  );
  return picked?.repo;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

async function useFolder(controller: ChatController): Promise<void> {
  const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Hearth: choose a local ONNX model folder', openLabel: 'Use this model' });
  if (!folders?.[0]) return;
  await vscode.workspace.getConfiguration('hearth').update('local.modelPath', folders[0].fsPath, vscode.ConfigurationTarget.Global);
  if ((controller.current.providerId ?? readSettings().provider) !== 'local') await controller.selectProvider('local');
}

/** Downloads under way; hearth.cancelModelDownloads (used by the tests, where notifications have no Cancel button) stops them. */
const running = new Set<AbortController>();

/** Runs one download under a progress notification; resolves with the installed model, or undefined after an error the user was shown. */
async function runDownload(deps: ModelDownloadDeps, request: DownloadRequest, name: string): Promise<InstalledModel | undefined> {
  const endpoint = hubEndpoint();
  const { downloadModel } = await import('../hub/modelDownloader');
  const abort = new AbortController();
  running.add(abort);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hearth: downloading ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return downloadModel(
          request,
          { endpoint, modelsDir: modelsDir(deps.context), ...optional('token', await hubToken(deps.keys)) },
          (p) => {
            const fraction = p.totalBytes ? p.bytes / p.totalBytes : 0;
            const increment = Math.max(0, fraction * 100 - reported);
            reported += increment;
            const speed = p.bytesPerSecond ? ` · ${formatBytes(p.bytesPerSecond)}/s` : '';
            const eta = formatEta(p.etaSeconds);
            const message =
              p.phase === 'resolving'
                ? 'looking up the files…'
                : p.phase === 'waiting'
                  ? `waiting: ${p.note ?? 'another download of this model'}`
                  : `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}${speed}${eta ? ` · ${eta}` : ''}`;
            progress.report({ message, increment });
          },
          abort.signal,
        );
      },
    );
  } catch (e) {
    await reportFailure(deps, e, name);
    return undefined;
  } finally {
    running.delete(abort);
  }
}

async function reportFailure(deps: ModelDownloadDeps, e: unknown, name: string): Promise<void> {
  if (!(e instanceof HubError)) {
    deps.log.error(`Download of ${name} failed: ${String(e)}`);
    void vscode.window.showErrorMessage(`Hearth: downloading ${name} failed: ${(e as Error).message}`);
    return;
  }
  deps.log.warn(`Download of ${name}: ${e.kind}: ${e.message}`);
  if (e.kind === 'cancelled') {
    void vscode.window.showInformationMessage(`Hearth: download of ${name} stopped. Run Download Model again to resume where it stopped.`);
    return;
  }
  const actions = e.kind === 'gated' ? ['Open Model Page', 'Set Token…'] : [];
  const choice = await vscode.window.showErrorMessage(`Hearth: ${e.message}`, ...actions);
  if (choice === 'Open Model Page' && e.link) await vscode.env.openExternal(vscode.Uri.parse(e.link));
  if (choice === 'Set Token…') await vscode.commands.executeCommand('hearth.setHubToken');
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
    else source = await pickSource(context);
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
        repo = typeof arg === 'object' && arg.repo ? arg.repo : await pickSearchHit(deps);
      } catch (e) {
        return void (await reportFailure(deps, e, 'the search'));
      }
      if (!repo) return undefined;
      request = { repo, revision: 'main', device: deviceKind() };
      name = repo;
    }
    const installed = await runDownload(deps, request, name);
    if (!installed) return undefined;
    await useInstalled(controller, installed, name);
    return installed.id;
  };

  return [
    vscode.commands.registerCommand('hearth.downloadModel', (arg?: DownloadArg) => download(arg)),
    vscode.commands.registerCommand('hearth.selectLocalModel', () => pickLocalModel(controller, modelsDir(context))),
    vscode.commands.registerCommand('hearth.cancelModelDownloads', () => running.forEach((a) => a.abort())),
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
