// The models folder: installed models are folders with a manifest; an id from a conversation file
// names a folder there or nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteModelDir, installedDir, listInstalled, type Manifest, modelDir, modelId, writeManifest } from '../../../src/hub/modelStore';

const commit = '0123456789abcdef0123456789abcdef01234567';
const manifest = (repo: string): Manifest => ({
  version: 1,
  repo,
  commit,
  revision: 'main',
  endpoint: 'https://huggingface.co',
  weights: 'onnx/model_q4.onnx',
  files: [{ path: 'config.json', size: 2 }],
  downloadedAt: new Date(0).toISOString(),
});

describe('hub: model store', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'hearth-store-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists complete downloads with their disk use, not unfinished ones, and deletes them', async () => {
    const done = modelDir(root, 'org/Done', commit);
    mkdirSync(done, { recursive: true });
    writeFileSync(join(done, 'config.json'), '{}');
    await writeManifest(done, manifest('org/Done'));
    mkdirSync(join(modelDir(root, 'org/Unfinished', commit), '.parts'), { recursive: true });
    const installed = await listInstalled(root);
    assert.deepEqual(installed.map((m) => [m.id, m.manifest.repo]), [[modelId('org/Done', commit), 'org/Done']]);
    assert.ok((installed[0]?.diskBytes ?? 0) > 2);
    await deleteModelDir(done);
    assert.deepEqual(await listInstalled(root), []);
  });

  it('resolves an installed id to its folder, and refuses anything else', async () => {
    const dir = modelDir(root, 'org/Done', commit);
    mkdirSync(dir, { recursive: true });
    await writeManifest(dir, manifest('org/Done'));
    assert.equal(await installedDir(root, 'org--Done@0123456789ab'), dir);
    for (const id of ['org--Other@0123456789ab', '../org--Done@0123456789ab', '/etc', 'org--Done@0123456789ab/..']) {
      assert.equal(await installedDir(root, id), undefined, id);
    }
  });
});
