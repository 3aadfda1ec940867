// The quick picks of "Hearth: Download Model…": the catalog (what fits this machine first: a CPU
// variant in the RAM, a GPU variant in the GPU's memory where it is known; then what does not, saying
// how much it needs), Search Hugging Face… and Use a folder on disk….
import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import { catalog, variantFor } from '../hub/catalog';
import { describeFit, type MachineMemory } from '../hub/catalogFit';
import type { CatalogEntry } from '../hub/catalogSchema';
import { formatBytes } from '../hub/downloadProgress';
import { type GpuMemory, hostGpuEnvironment, probeGpuMemory } from '../hub/gpuMemory';
import { listInstalled } from '../hub/modelStore';
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

/** The GPU's memory, asked of the OS once a session (it may start nvidia-smi). */
let gpuMemory: Promise<GpuMemory | undefined> | undefined;

async function machineMemory(device: 'cpu' | 'gpu'): Promise<MachineMemory> {
  // A CPU variant is judged against the RAM alone: no process to start.
  gpuMemory ??= device === 'gpu' ? probeGpuMemory(hostGpuEnvironment()) : undefined;
  return { ramBytes: totalmem(), gpu: device === 'gpu' ? await gpuMemory : undefined };
}

async function catalogItems(modelsDir: string): Promise<SourcePick[]> {
  const device = deviceKind();
  const [installed, machine] = await Promise.all([listInstalled(modelsDir), machineMemory(device)]);
  const entries = catalog().models.map((entry) => {
    const variant = variantFor(entry, device);
    return { entry, variant, fit: describeFit(entry, variant, machine) };
  });
  entries.sort((a, b) => a.fit.rank - b.fit.rank);
  return entries.map(({ entry, variant, fit }) => {
    const isInstalled = installed.some((m) => m.manifest.repo === entry.repo && m.manifest.weights === variant.weights);
    return {
      label: `${isInstalled ? '$(check) ' : ''}${entry.name}`,
      description: `${entry.params} · ${Math.round(entry.contextWindow / 1024)}k context · ${entry.license} · ${entry.strengths.join(', ')}`,
      detail: `${variant.dtype} for the ${variant.device.toUpperCase()} · ${formatBytes(variant.approxBytes)} download · ${fit.fit === 'tight' || fit.fit === 'too-big' ? '$(warning) ' : ''}${fit.text}`,
      entry,
    };
  });
}

export async function pickSource(modelsDir: string): Promise<SourcePick | undefined> {
  // A promise of items: the quick pick opens at once, busy while the installed models and the GPU are looked at.
  const items = catalogItems(modelsDir).then((catalogPicks): SourcePick[] => [
    ...catalogPicks,
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(search) Search Hugging Face…', detail: 'ONNX text-generation models of families Hearth runs', source: 'search' },
    { label: '$(folder-opened) Use a folder on disk…', detail: 'an ONNX model folder you already have', source: 'folder' },
  ]);
  return vscode.window.showQuickPick<SourcePick>(items, {
    title: 'Hearth: download a local model',
    placeHolder: 'Pick a model; the first ones fit this machine',
    matchOnDescription: true,
    matchOnDetail: true,
  });
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

