// A Hugging Face Hub double for the downloader's tests: two servers on 127.0.0.1, the hub (API and
// resolve) and a "CDN" the hub redirects large files to, as the real hub does. It serves repositories
// built from folders on disk (the generated test models) and can misbehave on request: gated repos,
// 404, 429 with Retry-After, a connection dropped mid-file, wrong bytes, a slow or stalled transfer.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from './recordingHttpServer';

export interface FakeRepoFile {
  content: Buffer;
  /** Stored with LFS (listed with its sha256, served from the CDN); else in git (git blob id, served by the hub). */
  lfs: boolean;
}

export interface FakeRepo {
  id: string;
  commit: string;
  files: Map<string, FakeRepoFile>;
  /** Only this token may read it (401 without it, 403 with another). */
  gatedToken?: string;
  modelType?: string;
  tags?: string[];
}

export interface HubFaults {
  /** The next this many API requests answer 429. */
  rateLimitApi: number;
  retryAfter: string;
  /** The CDN drops the connection after this many bytes of a body, this many times. */
  drop?: { path: string; afterBytes: number; times: number };
  /** The CDN sends this many bytes of a body, then stalls until release() (whenHeld() resolves at that moment). */
  hold?: { path: string; afterBytes: number };
  /** These paths are served with one byte changed (by the CDN, or by the hub for files kept in git). */
  corrupt: Set<string>;
  /** The CDN ignores Range and always answers 200 with the whole file. */
  ignoreRange: boolean;
  /** The CDN sends at most this many bytes per second. */
  bytesPerSecond?: number;
}

export interface FakeHub {
  readonly url: string;
  readonly cdnUrl: string;
  readonly hub: RecordingServer;
  readonly cdn: RecordingServer;
  readonly faults: HubFaults;
  addRepo(repo: FakeRepo): void;
  /** Resolves when a held body has sent its bytes and stalls. */
  whenHeld(): Promise<void>;
  /** Lets a held body go on (and clears the hold). */
  release(): void;
  close(): Promise<void>;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
export const gitOid = (b: Buffer): string => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

/** A repository holding a folder's files; .onnx files and anything over 10 kB go through LFS. `rename` maps folder paths to repo paths. */
export function repoFromFolder(id: string, dir: string, options: { commit?: string; rename?: Record<string, string>; prefix?: string } = {}): FakeRepo {
  const files = new Map<string, FakeRepoFile>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(dir, full).split(sep).join('/');
        if (rel.startsWith('.')) continue;
        const content = readFileSync(full);
        const path = (options.prefix ?? '') + (options.rename?.[rel] ?? rel);
        files.set(path, { content, lfs: path.endsWith('.onnx') || path.includes('.onnx') || content.length > 10_000 });
      }
    }
  };
  walk(dir);
  return { id, commit: options.commit ?? createHash('sha1').update(id).digest('hex'), files, modelType: 'qwen2', tags: ['onnx', 'text-generation', 'transformers.js'] };
}

export async function startFakeHub(): Promise<FakeHub> {
  const repos = new Map<string, FakeRepo>();
  const faults: HubFaults = { rateLimitApi: 0, retryAfter: '0', corrupt: new Set(), ignoreRange: false };
  let heldResolve: (() => void) | undefined;
  let held = new Promise<void>((r) => (heldResolve = r));
  let releaseHold: (() => void) | undefined;

  const cdn = await startRecordingServer((_req, res, rec) => {
    const blob = /^\/blobs\/([0-9a-f]{64})$/.exec(rec.path);
    const found = blob && [...repos.values()].flatMap((r) => [...r.files.entries()]).find(([, f]) => sha256(f.content) === blob[1]);
    if (!found) return json(res, 404, { error: 'Entry not found' });
    const [path, file] = found;
    let body = file.content;
    if (faults.corrupt.has(path)) {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 0xff;
    }
    sendBody(res, rec, path, body, { 'x-served-by': 'fake-cdn' });
  });

  /** Writes body (or the Range part of it), applying drop / hold / slow faults. */
  function sendBody(res: ServerResponse, rec: RecordedRequest, path: string, whole: Buffer, headers: Record<string, string>): void {
    const m = faults.ignoreRange ? null : /^bytes=(\d+)-$/.exec(String(rec.headers.range ?? ''));
    const start = m ? Number(m[1]) : 0;
    if (start >= whole.length && whole.length > 0) {
      res.writeHead(416, { 'content-range': `bytes */${whole.length}` });
      return void res.end();
    }
    const body = whole.subarray(start);
    res.writeHead(m ? 206 : 200, {
      ...headers,
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(m ? { 'content-range': `bytes ${start}-${whole.length - 1}/${whole.length}` } : {}),
    });
    const drop = faults.drop?.path === path && faults.drop.times > 0 ? faults.drop : undefined;
    const hold = faults.hold?.path === path ? faults.hold : undefined;
    const cut = drop ? drop.afterBytes : hold ? hold.afterBytes : body.length;
    if (drop) drop.times--;
    const rest = (): void => {
      if (drop) return cdn.dropAfterFlush(res);
      writeSlowly(res, body.subarray(cut));
    };
    if (cut >= body.length) return writeSlowly(res, body);
    res.write(body.subarray(0, cut), () => {
      if (!hold) return rest();
      releaseHold = () => {
        faults.hold = undefined;
        rest();
      };
      heldResolve?.();
    });
  }

  function writeSlowly(res: ServerResponse, body: Buffer): void {
    const rate = faults.bytesPerSecond;
    if (!rate) return void res.end(body);
    const step = Math.max(1, Math.floor(rate / 20));
    let offset = 0;
    cdn.repeatUntilClosed(res, 50, () => {
      if (offset >= body.length) return void res.end();
      res.write(body.subarray(offset, offset + step));
      offset += step;
    });
  }

  const hub = await startRecordingServer((req, res, rec) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const api = url.pathname.startsWith('/api/');
    if (api && faults.rateLimitApi > 0) {
      faults.rateLimitApi--;
      res.writeHead(429, { 'retry-after': faults.retryAfter, 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'Too many requests' }));
    }
    if (url.pathname === '/api/models') return search(res, url);
    const m =
      /^\/api\/models\/([^/]+\/[^/]+)\/(tree|revision)\/([^/]+)(?:\/(.*))?$/.exec(url.pathname) ??
      /^\/([^/]+\/[^/]+)\/(resolve)\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return json(res, 404, { error: 'Not found' });
    const [, id, kind, revision, rest] = m;
    const repo = repos.get(id);
    if (!repo) return json(res, 401, { error: 'Repository not found' }); // the hub does not say whether it exists
    if (repo.gatedToken) {
      const auth = String(rec.headers.authorization ?? '');
      if (!auth) return json(res, 401, { error: `Access to model ${id} is restricted. You must have access to it and be authenticated to access it.` });
      if (auth !== `Bearer ${repo.gatedToken}`) return json(res, 403, { error: `Access to model ${id} is restricted and you are not in the authorized list.` });
    }
    if (revision !== 'main' && revision !== repo.commit) return json(res, 404, { error: `Invalid rev id: ${revision}` });
    if (kind === 'revision') {
      return json(res, 200, { _id: id, id, sha: repo.commit, private: false, gated: repo.gatedToken ? 'manual' : false, downloads: 0, likes: 0, lastModified: '2026-01-01T00:00:00.000Z', pipeline_tag: 'text-generation' });
    }
    if (kind === 'tree') return json(res, 200, listing(repo, rest ? decodeURIComponent(rest) : '', url.searchParams.get('recursive') === 'true'));
    const path = decodeURIComponent(rest ?? '');
    const file = repo.files.get(path);
    if (!file) return json(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
    const common = { 'x-repo-commit': repo.commit };
    if (file.lfs) {
      const hash = sha256(file.content);
      res.writeHead(302, {
        ...common,
        location: `${cdnUrl}/blobs/${hash}?signed=1`,
        'x-linked-etag': `"${hash}"`,
        'x-linked-size': String(file.content.length),
        etag: `"${hash}"`,
      });
      return void res.end();
    }
    const body = faults.corrupt.has(path) ? Buffer.from(file.content.toString('utf8').replace(/\S/, 'X')) : file.content;
    sendBody(res, rec, path, body, { ...common, etag: `"${gitOid(file.content)}"` });
  });

  function listing(repo: FakeRepo, path: string, recursive: boolean): unknown[] {
    const prefix = path ? `${path}/` : '';
    const out: unknown[] = [];
    const dirs = new Set<string>();
    for (const [p, f] of repo.files) {
      if (!p.startsWith(prefix)) continue;
      const below = p.slice(prefix.length);
      if (!recursive && below.includes('/')) {
        dirs.add(prefix + below.split('/')[0]);
        continue;
      }
      const oid = gitOid(f.lfs ? Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(f.content)}\nsize ${f.content.length}\n`) : f.content);
      out.push({
        type: 'file',
        oid,
        size: f.content.length,
        path: p,
        ...(f.lfs ? { lfs: { oid: sha256(f.content), size: f.content.length, pointerSize: 134 } } : {}),
      });
    }
    for (const d of dirs) out.unshift({ type: 'directory', oid: gitOid(Buffer.from(d)), size: 0, path: d });
    return out;
  }

  function search(res: ServerResponse, url: URL): void {
    const q = (url.searchParams.get('search') ?? '').toLowerCase();
    const filters = url.searchParams.getAll('filter');
    const found = [...repos.values()]
      .filter((r) => r.id.toLowerCase().includes(q) && filters.every((f) => r.tags?.includes(f)))
      .map((r) => ({
        _id: r.id,
        id: r.id,
        private: false,
        gated: r.gatedToken ? 'manual' : false,
        downloads: 10,
        likes: 1,
        lastModified: '2026-01-01T00:00:00.000Z',
        pipeline_tag: 'text-generation',
        tags: r.tags ?? [],
        config: { model_type: r.modelType },
      }));
    json(res, 200, found);
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  const cdnUrl = `http://127.0.0.1:${cdn.port}`;
  return {
    url: `http://127.0.0.1:${hub.port}`,
    cdnUrl,
    hub,
    cdn,
    faults,
    addRepo: (repo) => void repos.set(repo.id, repo),
    whenHeld: () => held,
    release() {
      const go = releaseHold;
      releaseHold = undefined;
      held = new Promise<void>((r) => (heldResolve = r));
      go?.();
    },
    async close() {
      releaseHold = undefined;
      await Promise.all([hub.close(), cdn.close()]);
    },
  };
}
