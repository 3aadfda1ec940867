// The downloader against the hub double: only the needed files, byte-identical and hash-checked;
// resume after cancel, a dropped connection and a killed process; gated, 404, 429, bad bytes, a full disk,
// two downloaders of one model at once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureModel } from '../../../models/testModels';
import type { DownloadProgress } from '../../../src/hub/downloadProgress';
import { HubError } from '../../../src/hub/hubError';
import { type DownloaderOptions, downloadModel, type DownloadRequest } from '../../../src/hub/modelDownloader';
import { listInstalled, modelDir } from '../../../src/hub/modelStore';
import { readModelFolder } from '../../../src/engine/modelFolder';
import { type FakeHub, repoFromFolder, startFakeHub } from '../../support/fakeHub';

const REPO = 'onnx-community/Tiny-Instruct';
const WEIGHTS = 'onnx/model_q4.onnx';
const request: DownloadRequest = { repo: REPO, revision: 'main', device: 'cpu', variant: { weights: WEIGHTS } };

async function rejection(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HubError) return e;
    throw e;
  }
  assert.fail('expected the download to fail');
}

describe('hub: model downloader', function () {
  this.timeout(60_000);
  let hub: FakeHub;
  let modelsDir: string;
  let source: string;
  let options: DownloaderOptions;
  const never = new AbortController().signal;
  const fileAt = (rel: string) => readFileSync(join(source, rel));
  const downloaded = (rel: string) => readFileSync(join(modelDir(modelsDir, REPO, commit()), rel));
  const commit = () => repoFromFolder(REPO, source).commit;

  /** A progress listener that resolves once the weights' partial file holds `bytes` (progress comes after each write). */
  const partReaches = (bytes: number) => {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    const listener = (p: DownloadProgress) => {
      const part = join(modelDir(modelsDir, REPO, commit()), '.parts', WEIGHTS);
      if (p.file === WEIGHTS && existsSync(part) && statSync(part).size >= bytes) resolve();
    };
    return { promise, listener };
  };

  before(async () => {
    source = await ensureModel('tiny-gqa-tjs');
  });
  beforeEach(async () => {
    hub = await startFakeHub();
    hub.addRepo(repoFromFolder(REPO, source));
    modelsDir = mkdtempSync(join(tmpdir(), 'hearth-models-'));
    options = { endpoint: hub.url, modelsDir, progressIntervalMs: 0, retryDelayMs: 10 };
  });
  afterEach(async () => {
    await hub.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('fetches only the variant it needs, through the CDN redirect, byte-identical, and the engine reads the folder', async () => {
    const progress: DownloadProgress[] = [];
    const installed = await downloadModel(request, options, (p) => progress.push(p), never);
    assert.equal(installed.dir, modelDir(modelsDir, REPO, commit()));
    const files = readdirSync(installed.dir, { recursive: true }).map(String).sort();
    assert.deepEqual(files, [
      'config.json',
      'generation_config.json',
      'hearth-model.json',
      'onnx',
      'onnx/model_q4.onnx',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.deepEqual(downloaded('tokenizer.json'), fileAt('tokenizer.json'));
    assert.ok(!hub.hub.requests.some((r) => r.path.endsWith('/onnx/model.onnx')), 'the fp32 variant is never fetched');
    assert.ok(hub.cdn.requests.some((r) => r.path.startsWith('/blobs/')), 'large files come from the CDN');
    assert.equal(progress.at(-1)?.phase, 'done');
    assert.equal(progress.at(-1)?.bytes, progress.at(-1)?.totalBytes);
    assert.equal(installed.manifest.commit, commit());
    const folder = readModelFolder(installed.dir);
    assert.equal(folder.selectVariant('auto', 'cpu').file, WEIGHTS);
    assert.deepEqual((await listInstalled(modelsDir)).map((m) => m.manifest.repo), [REPO]);
  });

  it('resumes with a Range request after a cancel mid-file', async () => {
    hub.faults.hold = { path: WEIGHTS, afterBytes: 100_000 };
    const controller = new AbortController();
    const reached = partReaches(100_000);
    const first = downloadModel(request, options, reached.listener, controller.signal);
    await reached.promise;
    controller.abort();
    assert.equal((await rejection(first)).kind, 'cancelled');
    assert.equal(existsSync(join(modelDir(modelsDir, REPO, commit()), WEIGHTS)), false);
    hub.release();
    await downloadModel(request, options, () => undefined, never);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.deepEqual(hub.cdn.requests.map((r) => r.headers.range).filter(Boolean), ['bytes=100000-']);
  });

  it('resumes by itself when the connection drops mid-file', async () => {
    hub.faults.drop = { path: WEIGHTS, afterBytes: 50_000, times: 2 };
    await downloadModel(request, options, () => undefined, never);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    const starts = hub.cdn.requests.map((r) => /^bytes=(\d+)-$/.exec(String(r.headers.range))?.[1]).filter((x) => x !== undefined).map(Number);
    assert.equal(starts.length, 2, 'one ranged request after each drop');
    // A drop loses what was in flight, so the second resume may start where the first did.
    assert.ok(starts[0] >= 50_000 && starts[1] >= starts[0], `resumed at ${starts.join(', ')}`);
  });

  it('starts the file over when the server ignores Range', async () => {
    hub.faults.hold = { path: WEIGHTS, afterBytes: 100_000 };
    const controller = new AbortController();
    const reached = partReaches(100_000);
    const first = downloadModel(request, options, reached.listener, controller.signal);
    await reached.promise;
    controller.abort();
    await rejection(first);
    hub.release();
    hub.faults.ignoreRange = true;
    await downloadModel(request, options, () => undefined, never);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
  });

  it('quarantines a file whose bytes do not match the hub hash, and says so', async () => {
    hub.faults.corrupt.add(WEIGHTS);
    const error = await rejection(downloadModel(request, options, () => undefined, never));
    assert.equal(error.kind, 'checksum');
    assert.match(error.message, /does not match.*moved to .*\.quarantine/);
    assert.equal(existsSync(join(modelDir(modelsDir, REPO, commit()), WEIGHTS)), false);
    assert.equal(readdirSync(join(modelsDir, '.quarantine')).length, 1);
    assert.deepEqual(await listInstalled(modelsDir), []);
  });

  it('checks a small file kept in git against its git blob id', async () => {
    hub.faults.corrupt.add('config.json');
    const error = await rejection(downloadModel(request, options, () => undefined, never));
    assert.equal(error.kind, 'checksum');
    assert.match(error.message, /config\.json does not match the hub's git-sha1/);
    assert.equal(existsSync(join(modelDir(modelsDir, REPO, commit()), 'config.json')), false);
  });

  it('says to accept the licence, with the model page, for a gated repository; a token opens it', async () => {
    hub.addRepo({ ...repoFromFolder(REPO, source), gatedToken: 'hf_good' });
    const anonymous = await rejection(downloadModel(request, options, () => undefined, never));
    assert.equal(anonymous.kind, 'gated');
    assert.equal(anonymous.link, `${hub.url}/${REPO}`);
    assert.match(anonymous.message, /accept its licence/);
    const wrong = await rejection(downloadModel(request, { ...options, token: 'hf_bad' }, () => undefined, never));
    assert.equal(wrong.kind, 'gated');
    await downloadModel(request, { ...options, token: 'hf_good' }, () => undefined, never);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.ok(hub.cdn.requests.length > 0 && hub.cdn.requests.every((r) => r.headers.authorization === undefined), 'the token never goes to the CDN');
  });

  it('reports a revision or file the hub does not have', async () => {
    const badRevision = await rejection(downloadModel({ ...request, revision: 'f'.repeat(40) }, options, () => undefined, never));
    assert.equal(badRevision.kind, 'notFound');
    const missing = await rejection(downloadModel({ ...request, variant: { weights: 'onnx/model_q4f16.onnx' } }, options, () => undefined, never));
    assert.equal(missing.kind, 'badRepo');
    assert.match(missing.message, /no onnx\/model_q4f16\.onnx/);
  });

  it('waits as long as a 429 Retry-After says, then goes on', async () => {
    hub.faults.rateLimitApi = 1;
    hub.faults.retryAfter = '1';
    const started = Date.now();
    await downloadModel(request, options, () => undefined, never);
    assert.ok(Date.now() - started >= 950, 'waited the second Retry-After asked for');
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
  });

  it('gives up on a hub that keeps answering 429', async () => {
    hub.faults.rateLimitApi = 100;
    const error = await rejection(downloadModel(request, options, () => undefined, never));
    assert.equal(error.kind, 'rateLimited');
  });

  it('checks free disk space before starting', async () => {
    const error = await rejection(downloadModel(request, { ...options, reserveBytes: Number.MAX_SAFE_INTEGER }, () => undefined, never));
    assert.equal(error.kind, 'diskFull');
    assert.equal(hub.cdn.requests.length, 0);
  });

  it('treats a stalled transfer as a dropped connection and resumes', async () => {
    hub.faults.hold = { path: WEIGHTS, afterBytes: 100_000 };
    const done = downloadModel(request, { ...options, idleTimeoutMs: 300 }, () => undefined, never);
    await hub.whenHeld();
    // The stalled body is never released: the idle timer drops it and the retry (a new request) is served whole.
    hub.faults.hold = undefined;
    await done;
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.ok(hub.cdn.requests.some((r) => r.headers.range === 'bytes=100000-'));
  });

  it('reports speed and time left on a slow server', async () => {
    hub.faults.bytesPerSecond = 2_000_000;
    const progress: DownloadProgress[] = [];
    await downloadModel(request, options, (p) => progress.push(p), never);
    const moving = progress.filter((p) => p.phase === 'downloading' && p.bytesPerSecond > 0);
    assert.ok(moving.length > 3);
    const mid = moving[Math.floor(moving.length / 2)];
    assert.ok(mid.bytesPerSecond > 200_000 && mid.bytesPerSecond < 20_000_000, `speed ${mid.bytesPerSecond}`);
    assert.ok(mid.etaSeconds !== undefined && mid.etaSeconds > 0);
  });

  it('lets two downloaders of the same model share one download', async () => {
    hub.faults.bytesPerSecond = 4_000_000;
    const notes: string[] = [];
    const [a, b] = await Promise.all([
      downloadModel(request, options, (p) => p.note && notes.push(p.note), never),
      downloadModel(request, options, (p) => p.note && notes.push(p.note), never),
    ]);
    assert.equal(a.dir, b.dir);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.equal(hub.cdn.requests.filter((r) => r.path.startsWith('/blobs/')).length, 2, 'each large file fetched once');
    assert.deepEqual(notes, ['another window is downloading this model']);
  });

  it('resumes a file left by a killed process, byte-identical', async function () {
    hub.faults.hold = { path: WEIGHTS, afterBytes: 120_000 };
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../support/downloadChild.ts'), hub.url, modelsDir, REPO, WEIGHTS], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let got = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const p = JSON.parse(line) as DownloadProgress;
      if (p.file === WEIGHTS && p.bytes > 0) {
        const part = join(modelDir(modelsDir, REPO, commit()), '.parts', WEIGHTS);
        got = existsSync(part) ? statSync(part).size : 0;
        if (got >= 120_000) break;
      }
    }
    child.kill('SIGKILL');
    await exited;
    assert.equal(got, 120_000);
    hub.release();
    await downloadModel(request, { ...options, lockStaleMs: 2000 }, () => undefined, never);
    assert.deepEqual(downloaded(WEIGHTS), fileAt(WEIGHTS));
    assert.ok(hub.cdn.requests.some((r) => r.headers.range === 'bytes=120000-'));
  });
});
