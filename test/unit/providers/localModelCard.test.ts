// What VS Code's model picker is told about a local model folder, read without the engine.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODELS_ROOT, ensureModel } from '../../../models/testModels';
import { ensureToolCallModel, TOOL_CALL_MODEL_CONTEXT } from '../../../models/toolCallModel';
import { readLocalModelCard } from '../../../src/providers/local/localModelCard';

describe('local model card', function () {
  this.timeout(60_000);

  it("reads the window from config.json and tool support from the template", async () => {
    assert.deepEqual(await readLocalModelCard(ensureToolCallModel(join(DEFAULT_MODELS_ROOT, 'tool-call-demo'))), { contextWindow: TOOL_CALL_MODEL_CONTEXT, toolCalling: true });
    assert.deepEqual(await readLocalModelCard(await ensureModel('demo-tjs')), { contextWindow: 2048, toolCalling: false });
  });

  it('reads a genai folder (context_length)', async () => {
    assert.deepEqual(await readLocalModelCard(await ensureModel('demo-genai')), { contextWindow: 2048, toolCalling: false });
  });

  it('says nothing of a folder that holds no model, and uses chat_template.jinja when tokenizer_config.json has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-card-'));
    assert.equal(await readLocalModelCard(dir), undefined);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    writeFileSync(join(dir, 'chat_template.jinja'), '{% for t in tools %}{{ t | tojson }}{% endfor %}');
    assert.deepEqual(await readLocalModelCard(dir), { contextWindow: 2048, toolCalling: true });
  });
});
