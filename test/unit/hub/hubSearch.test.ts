// "Search Hugging Face…" against the hub double: ONNX text-generation repositories of supported model types only.
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/testModels';
import { searchModels } from '../../../src/hub/hubSearch';
import { type FakeHub, repoFromFolder, startFakeHub } from '../../support/fakeHub';

describe('hub: search', () => {
  let hub: FakeHub;
  before(async () => {
    const dir = await ensureModel('tiny-gqa-tjs');
    hub = await startFakeHub();
    hub.addRepo(repoFromFolder('onnx-community/Tiny-Instruct', dir));
    hub.addRepo({ ...repoFromFolder('someone/Tiny-Whisper', dir), modelType: 'whisper' });
    hub.addRepo({ ...repoFromFolder('someone/Tiny-Safetensors', dir), tags: ['text-generation'] });
  });
  after(() => hub.close());

  it('keeps ONNX text-generation repositories whose model_type the engine runs', async () => {
    const hits = await searchModels('tiny', { endpoint: hub.url });
    assert.deepEqual(hits.map((h) => [h.repo, h.modelType]), [['onnx-community/Tiny-Instruct', 'qwen2']]);
    const query = new URL(hub.hub.requests.at(-1)?.path ?? '', hub.url);
    assert.equal(query.pathname, '/api/models');
  });
});
