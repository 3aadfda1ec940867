import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunProfile, summarizeRuns } from '../../../bench/engine/opProfile';
import { loadModel } from '../../../src/engine';
import { answer, greedy, modelDir } from '../engine/engineTestSupport';

const run = (ts: number, dur: number): object => ({ cat: 'Session', name: 'model_run', ts, dur, args: {} });
const node = (op: string, ts: number, dur: number): object => ({ cat: 'Node', name: `n_${op}_${ts}_kernel_time`, ts, dur, args: { op_name: op } });

describe('onnxruntime profile summary (bench:profile)', () => {
  it('averages the last runs per operator type and ignores earlier runs', () => {
    const events = [
      run(0, 5000),
      node('MatMulNBits', 10, 4000), // the prompt's run: not counted
      run(10_000, 1000),
      node('MatMulNBits', 10_010, 300),
      node('MatMulNBits', 10_400, 200),
      node('Add', 10_700, 100),
      { cat: 'Node', name: 'n_fence_before', ts: 10_800, dur: 50, args: { op_name: 'Add' } }, // not a kernel time
      run(20_000, 2000),
      node('MatMulNBits', 20_010, 900),
      node('Add', 20_950, 300),
      'not an event',
    ];
    const summary = summarizeRuns(events, 2);
    assert.equal(summary.runs, 2);
    assert.equal(summary.msPerRun, 1.5);
    assert.deepEqual(
      summary.ops.map((o) => [o.op, o.msPerRun, o.nodesPerRun]),
      [
        ['MatMulNBits', 0.7, 1.5],
        ['Add', 0.2, 1],
      ],
    );
    assert.ok(Math.abs(summary.kernelMsPerRun - 0.9) < 1e-12);
  });

  it('says how many runs the profile holds when asked for more', () => {
    assert.throws(() => summarizeRuns([run(0, 10)], 3), /holds 1 runs; 3 were asked for/);
  });

  it('reads the profile an engine session writes when profileFilePrefix is set', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'hearth-profile-'));
    try {
      const model = await loadModel(await modelDir('tiny-gqa-tjs'), { device: 'cpu', dtype: 'q4', threads: 1, profileFilePrefix: join(dir, 'engine') });
      const result = await answer(model, { messages: [{ role: 'user', content: 'Hello there' }], maxNewTokens: 5, minNewTokens: 5, sampling: greedy });
      assert.equal(result.result.usage.completionTokens, 5);
      await model.dispose();
      // Five tokens: one from the prompt's run, four decode runs of the tiny model's two layers.
      const summary = readRunProfile(join(dir, 'engine'), 4);
      const matmul = summary.ops.find((o) => o.op === 'MatMulNBits');
      const attention = summary.ops.find((o) => o.op === 'GroupQueryAttention');
      assert.ok(matmul && attention, `ops seen: ${summary.ops.map((o) => o.op).join(', ')}`);
      assert.equal(attention.nodesPerRun, 2);
      assert.equal(matmul.nodesPerRun, 15); // 7 projections per layer, and the output head
      assert.ok(summary.kernelMsPerRun > 0 && summary.kernelMsPerRun <= summary.msPerRun);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
