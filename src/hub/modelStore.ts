// The models folder: one folder per repository and commit (<owner>--<name>@<commit12>; the folder's
// name is what the status line shows as the model), a manifest
// written last (a folder without one is an unfinished download), partial files under .parts/ and
// files that failed their hash under .quarantine/.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'hearth-model.json';
export const PARTS_DIR = '.parts';
const QUARANTINE_DIR = '.quarantine';

export const ManifestSchema = z.object({
  version: z.literal(1),
  repo: z.string(),
  commit: z.string(),
  revision: z.string(),
  endpoint: z.string(),
  catalogId: z.string().optional(),
  subfolder: z.string().optional(),
  weights: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number() })),
  downloadedAt: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface InstalledModel {
  id: string;
  dir: string;
  manifest: Manifest;
  /** Bytes on disk, partial files included. */
  diskBytes: number;
}

/** The installed model's id: its folder's name. */
export function modelId(repo: string, commit: string): string {
  return `${repo.replace('/', '--')}@${commit.slice(0, 12)}`;
}

export function modelDir(modelsDir: string, repo: string, commit: string): string {
  return join(modelsDir, modelId(repo, commit));
}

/** The folder of an installed model id, when it names one (ids come from conversation files: never a path). */
export async function installedDir(modelsDir: string, id: string): Promise<string | undefined> {
  if (!/^[\w.-]+--[\w.-]+@[0-9a-f]{12}$/.test(id)) return undefined;
  const dir = join(modelsDir, id);
  return (await readManifest(dir)) ? dir : undefined;
}

export function partPath(dir: string, localPath: string): string {
  return join(dir, PARTS_DIR, localPath);
}

export function quarantineDir(modelsDir: string): string {
  return join(modelsDir, QUARANTINE_DIR);
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return ManifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const tmp = join(dir, `.${MANIFEST_FILE}.${randomUUID().slice(0, 8)}`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, join(dir, MANIFEST_FILE));
}

export async function diskUse(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await diskUse(join(path, entry));
  return total;
}

/** Complete downloads, newest first. */
export async function listInstalled(modelsDir: string): Promise<InstalledModel[]> {
  if (!existsSync(modelsDir)) return [];
  const found: InstalledModel[] = [];
  for (const name of await readdir(modelsDir)) {
    if (name.startsWith('.') || name.endsWith('.lock')) continue;
    const dir = join(modelsDir, name);
    const manifest = await readManifest(dir);
    if (manifest) found.push({ id: name, dir, manifest, diskBytes: await diskUse(dir) });
  }
  return found.sort((a, b) => b.manifest.downloadedAt.localeCompare(a.manifest.downloadedAt));
}

/** Deletes a model folder, complete or not. */
export async function deleteModelDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
