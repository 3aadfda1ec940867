import * as assert from 'node:assert/strict';
import { copiesPerRun } from '../../../bench/engine/copyProfile';

const run = (ts: number, dur: number): object => ({ cat: 'Session', name: 'model_run', ts, dur, args: {} });
const copy = (op: string, ts: number, bytes: number): object => ({
  cat: 'Node',
  name: 'Memcpy_kernel_time',
  ts,
  dur: 1,
  // onnxruntime writes sizes as strings.
  args: { op_name: op, output_size: String(bytes) },
});

describe("onnxruntime's own host/device copies per run (bench:engine --device)", () => {
  it("sums each run's MemcpyFromHost and MemcpyToHost output sizes, in run order, and nothing else", () => {
    const events = [
      run(10_000, 1000),
      copy('MemcpyFromHost', 10_100, 8),
      copy('MemcpyFromHost', 10_200, 401),
      copy('MemcpyToHost', 10_300, 16),
      { cat: 'Node', name: 'MatMul_kernel_time', ts: 10_400, dur: 5, args: { op_name: 'MatMul', output_size: '4096' } },
      run(0, 5000),
      copy('MemcpyFromHost', 100, 12),
      copy('MemcpyFromHost', 7000, 999), // between runs: counted nowhere
      'not an event',
    ];
    assert.deepEqual(copiesPerRun(events), [
      { toDevice: 12, toHost: 0 },
      { toDevice: 409, toHost: 16 },
    ]);
  });
});
