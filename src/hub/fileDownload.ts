// Downloads one file of a repository into a partial file, resuming with an HTTP Range request, checks
// its hash against the hub's, then moves it into place atomically. A file whose bytes do not match is
// moved to a quarantine folder and reported, never used.
import { mkdir, open, rename, stat, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { expectedDigest, hashExisting, startHash } from './fileHash';
import { cancelled, HubError, isAbort } from './hubError';
import type { PlannedFile } from './downloadPlan';

export interface FileDownloadOptions {
  /** https://hub/<repo>/resolve/<commit>/<path> */
  url: string;
  file: PlannedFile;
  partPath: string;
  targetPath: string;
  quarantineDir: string;
  /** The commit the resolve answer must come from (X-Repo-Commit), when the hub says. */
  commit: string;
  fetch: typeof fetch;
  /** No byte for this long: the connection is treated as dropped. */
  idleTimeoutMs: number;
  onBytes(count: number): void;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** The resolve request: the hub answers 302 to its CDN (or serves a small file itself). Headers on the 302 carry the commit and hash. */
async function openBody(o: FileDownloadOptions, offset: number, signal: AbortSignal): Promise<{ res: Response; start: number }> {
  const range: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  let res = await o.fetch(o.url, { headers: range, redirect: 'manual', signal });
  const repoCommit = res.headers.get('x-repo-commit');
  if (repoCommit && repoCommit !== o.commit) {
    throw new HubError('badRepo', `${o.file.path}: the hub answered from commit ${repoCommit}, not ${o.commit}.`);
  }
  const linked = res.headers.get('x-linked-etag')?.replace(/^W\//, '').replace(/"/g, '');
  if (linked && o.file.sha256 && linked !== o.file.sha256) {
    throw new HubError('checksum', `${o.file.path}: the hub now names hash ${linked}, the listing ${o.file.sha256}. Try again.`);
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location) throw new HubError('network', `${o.file.path}: a redirect without a location.`);
    res = await o.fetch(new URL(location, o.url).toString(), { headers: range, signal });
  }
  if (res.status === 416) return { res, start: o.file.size }; // everything is already here
  if (!res.ok || !res.body) throw new HubError('network', `${o.file.path}: HTTP ${res.status} from ${new URL(res.url || o.url).origin}.`);
  if (res.status === 200) return { res, start: 0 }; // the server ignored Range: start over
  const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
  if (!m || Number(m[1]) !== offset) throw new HubError('network', `${o.file.path}: the server resumed at the wrong place.`);
  return { res, start: offset };
}

/** Downloads (or finishes) one file; resolves once it is verified and in place. Network drops throw a 'network' HubError (the partial file stays). */
export async function downloadFile(o: FileDownloadOptions, signal: AbortSignal): Promise<void> {
  await mkdir(dirname(o.partPath), { recursive: true });
  let offset = await sizeOf(o.partPath);
  if (offset > o.file.size) {
    await truncate(o.partPath, 0);
    offset = 0;
  }
  // Dropped connections are noticed by silence: an idle timer aborts this request only.
  const request = new AbortController();
  const onAbort = () => request.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => request.abort(new HubError('network', `${o.file.path}: no data for ${o.idleTimeoutMs / 1000} s.`)), o.idleTimeoutMs);
  };
  const handle = await open(o.partPath, 'a');
  try {
    armIdle();
    const { res, start } = offset < o.file.size || o.file.size === 0 ? await openBody(o, offset, request.signal) : { res: undefined, start: offset };
    if (start === 0 && offset > 0) {
      await handle.truncate(0);
      o.onBytes(-offset);
    }
    const hash = startHash(o.file);
    await hashExisting(hash, o.partPath, start);
    let written = start;
    if (res?.body && res.status !== 416) {
      armIdle();
      for await (const chunk of Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>)) {
        const bytes = chunk as Buffer;
        armIdle();
        await handle.write(bytes);
        hash.update(bytes);
        written += bytes.length;
        o.onBytes(bytes.length);
      }
    }
    await handle.sync();
    if (written !== o.file.size) throw new HubError('network', `${o.file.path}: got ${written} of ${o.file.size} bytes.`);
    const expected = expectedDigest(o.file);
    const actual = hash.digest('hex');
    if (expected && actual !== expected.hex) {
      await handle.close();
      const quarantined = join(o.quarantineDir, `${o.file.localPath.replace(/\//g, '_')}-${Date.now()}`);
      await mkdir(o.quarantineDir, { recursive: true });
      await rename(o.partPath, quarantined);
      throw new HubError(
        'checksum',
        `${o.file.path} does not match the hub's ${expected.algorithm} (${expected.hex.slice(0, 12)}…, got ${actual.slice(0, 12)}…); the file was moved to ${quarantined}. Download again to retry.`,
      );
    }
    await handle.close();
    await mkdir(dirname(o.targetPath), { recursive: true });
    await rename(o.partPath, o.targetPath);
  } catch (e) {
    if (signal.aborted) throw cancelled();
    if (e instanceof HubError) throw e;
    const reason = request.signal.reason;
    if (reason instanceof HubError) throw reason;
    if (isAbort(e)) throw cancelled();
    throw new HubError('network', `${o.file.path}: the connection dropped (${(e as Error).message}).`);
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', onAbort);
    await handle.close().catch(() => undefined);
  }
}
