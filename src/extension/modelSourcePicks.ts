// The quick picks of "Hearth: Download Model…": the catalog (what fits this machine's memory first,
// then what does not, saying how much it needs), Search Hugging Face… and Use a folder on disk….
import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import { catalog, fitsMemory, requiredMemoryBytes, variantFor } from '../hub/catalog';
import type { CatalogEntry } from '../hub/catalogSchema';
import { formatBytes } from '../hub/downloadProgress';
import { type InstalledModel, listInstalled } from '../hub/modelStore';
import { optional } from './optional';
import { readSettings } from './settings';

export interface SourcePick extends vscode.QuickPickItem {
  entry?: CatalogEntry;
  source?: 'search' | 'folder';
}

const GPU_DEVICES = ['cuda', 'dml', 'coreml', 'webgpu'];

export function deviceKind(): 'cpu' | 'gpu' {
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

export async function pickSource(modelsDir: string): Promise<SourcePick | undefined> {
  const installed = await listInstalled(modelsDir);
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

export async function pickSearchHit(endpoint: string, token: string | undefined, fetch: typeof globalThis.fetch, initial?: string): Promise<string | undefined> {
  const query = initial ?? (await vscode.window.showInputBox({ title: 'Hearth: search Hugging Face', prompt: 'Words in the model name, e.g. qwen instruct' }));
  if (!query?.trim()) return undefined;
  // Loaded on first use, like the providers' SDKs: activation stays cheap.
  const { searchModels } = await import('../hub/hubSearch');
  const hits = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Hearth: searching Hugging Face…' }, () =>
    searchModels(query.trim(), { endpoint, fetch, ...optional('token', token) }),
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

