// Downloads one model (a catalog entry, a search result or any repository) into the models folder:
// resolve the revision to a commit, list the files, fetch only the ones the chosen variant needs
// (resuming partial files), verify each, and write the manifest last.
import { mkdir, rm, statfs } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { basename, join } from 'node:path';
import { type PlannedFile, guessVariant, planFiles, type VariantSpec } from './downloadPlan';
import { type DownloadProgress, formatBytes, ProgressMeter } from './downloadProgress';
import { downloadFile } from './fileDownload';
import { lockFolder } from './folderLock';
import { cancelled, HubError } from './hubError';
import { hubFetch } from './hubFetch';
import { type InstalledModel, diskUse, modelDir, PARTS_DIR, partPath, quarantineDir, readManifest, writeManifest } from './modelStore';
import { listRepoFiles, resolveCommit } from './repoListing';

export { DEFAULT_ENDPOINT } from './hubFetch';

export interface DownloadRequest {
  repo: string;
  /** A branch, tag or full commit id. */
  revision: string;
  /** The variant; when absent, the one the engine's auto dtype would pick for `device`. */
  variant?: VariantSpec;
  device: 'cpu' | 'gpu';
  catalogId?: string;
}

export interface DownloaderOptions {
  endpoint: string;
  modelsDir: string;
  token?: string;
  fetch?: typeof fetch;
  /** Retries of a dropped connection per file, each resuming where it stopped. */
  retries?: number;
  retryDelayMs?: number;
  idleTimeoutMs?: number;
  lockStaleMs?: number;
  /** Kept free on the disk beyond the download itself. */
  reserveBytes?: number;
  /** Least time between two progress reports (the last one always comes). */
  progressIntervalMs?: number;
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

async function bytesOnDisk(dir: string, f: PlannedFile): Promise<number> {
  const done = await diskUse(join(dir, f.localPath));
  return done === f.size ? done : Math.min(await diskUse(partPath(dir, f.localPath)), f.size);
}

export async function downloadModel(
  request: DownloadRequest,
  options: DownloaderOptions,
  onProgress: (p: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<InstalledModel> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const fetchFn = hubFetch({ endpoint, ...(options.token ? { token: options.token } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) }, request.repo, signal);
  onProgress({ phase: 'resolving', bytes: 0, totalBytes: 0, bytesPerSecond: 0 });
  const commit = await resolveCommit(request.repo, request.revision, endpoint, fetchFn);
  const listing = await listRepoFiles(request.repo, commit, endpoint, fetchFn);
  const variant = request.variant ?? guessVariant(listing, request.device, request.repo);
  const files = planFiles(listing, variant, request.repo);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);

  const dir = modelDir(options.modelsDir, request.repo, commit);
  await mkdir(options.modelsDir, { recursive: true });
  const release = await lockFolder(
    dir,
    {
      staleMs: options.lockStaleMs ?? 10_000,
      retryMs: 1000,
      onWaiting: () => onProgress({ phase: 'waiting', bytes: 0, totalBytes, bytesPerSecond: 0, note: 'another window is downloading this model' }),
    },
    signal,
  );
  try {
    const existing = await readManifest(dir);
    if (existing && existing.weights === variant.weights) {
      onProgress({ phase: 'done', bytes: totalBytes, totalBytes, bytesPerSecond: 0 });
      return { id: basename(dir), dir, manifest: existing, diskBytes: await diskUse(dir) };
    }
    await mkdir(dir, { recursive: true });
    const done = await Promise.all(files.map((f) => bytesOnDisk(dir, f)));
    const already = done.reduce((a, b) => a + b, 0);
    const needed = totalBytes - already;
    const free = await freeBytes(options.modelsDir);
    if (needed + (options.reserveBytes ?? 256e6) > free) {
      throw new HubError(
        'diskFull',
        `${request.repo} needs ${formatBytes(needed)} more on disk; ${options.modelsDir} has ${formatBytes(free)} free. Free some space or set hearth.local.modelsDir to another disk.`,
      );
    }
    const meter = new ProgressMeter(totalBytes, onProgress, Date.now, 5000, options.progressIntervalMs ?? 200);
    meter.start(already);
    for (const [i, file] of files.entries()) {
      if (done[i] === file.size && (await diskUse(join(dir, file.localPath))) === file.size) continue;
      meter.setFile(file.localPath);
      await fetchWithRetries(file, dir, commit, endpoint, request.repo, fetchFn, options, meter, signal);
    }
    meter.emit(true, 'verifying');
    const manifest = {
      version: 1 as const,
      repo: request.repo,
      commit,
      revision: request.revision,
      endpoint,
      ...(request.catalogId ? { catalogId: request.catalogId } : {}),
      ...(variant.subfolder ? { subfolder: variant.subfolder } : {}),
      weights: variant.weights,
      files: files.map((f) => ({ path: f.localPath, size: f.size })),
      downloadedAt: new Date().toISOString(),
    };
    await rm(join(dir, PARTS_DIR), { recursive: true, force: true });
    await writeManifest(dir, manifest);
    meter.emit(true, 'done');
    return { id: basename(dir), dir, manifest, diskBytes: await diskUse(dir) };
  } finally {
    await release().catch(() => undefined);
  }
}

async function fetchWithRetries(
  file: PlannedFile,
  dir: string,
  commit: string,
  endpoint: string,
  repo: string,
  fetchFn: typeof fetch,
  options: DownloaderOptions,
  meter: ProgressMeter,
  signal: AbortSignal,
): Promise<void> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await downloadFile(
        {
          url: `${endpoint}/${repo}/resolve/${commit}/${file.path.split('/').map(encodeURIComponent).join('/')}`,
          file,
          partPath: partPath(dir, file.localPath),
          targetPath: join(dir, file.localPath),
          quarantineDir: quarantineDir(options.modelsDir),
          commit,
          fetch: fetchFn,
          idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
          onBytes: (n) => meter.add(n),
        },
        signal,
      );
      return;
    } catch (e) {
      // A dropped connection resumes from the partial file; anything else is for the user to see.
      if (!(e instanceof HubError) || e.kind !== 'network' || attempt >= retries) throw e;
      try {
        await delay((options.retryDelayMs ?? 1000) * 2 ** attempt, undefined, { signal });
      } catch {
        throw cancelled();
      }
    }
  }
}
