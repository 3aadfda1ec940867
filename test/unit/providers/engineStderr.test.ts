import assert from 'node:assert/strict';
import { EngineStderr } from '../../../src/providers/local/engineStderr';

describe('EngineStderr: start-up noise of native libraries goes to trace', () => {
  it('sends the Vulkan probe and its stack frame to trace', () => {
    const lines = new EngineStderr().push(
      "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n    at operator() (/build/Release/_deps/dawn-src/src/dawn/native/vulkan/BackendVk.cpp:368)\n",
    );
    assert.deepEqual(lines.map((l) => l.level), ['trace', 'trace']);
  });

  it("sends onnxruntime's provider-library probe, XDG and Node warnings to trace", () => {
    const stderr = new EngineStderr();
    const lines = stderr.push(
      [
        '2026-12-05 01:43:45.786 [E:onnxruntime:Default, provider_bridge_ort.cc:2167 TryGetProviderInfo_CUDA] Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file',
        '[W:onnxruntime:, session_state.cc:1280 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers',
        'error: XDG_RUNTIME_DIR not set in the environment.',
        '(node:123) ExperimentalWarning: WebGPU is an experimental feature',
        '',
      ].join('\n'),
    );
    assert.deepEqual(lines.map((l) => l.level), ['trace', 'trace', 'trace', 'trace']);
  });

  it('keeps anything else a warning, its indented lines with it, across chunk boundaries', () => {
    const stderr = new EngineStderr();
    assert.deepEqual(stderr.push('Fatal: out of mem'), [], 'half a line waits for the rest');
    const lines = [...stderr.push('ory in the KV cache\n    at grow (kvCache.ts:10)\n'), ...stderr.flush()];
    assert.deepEqual(lines, [
      { level: 'warn', text: 'Fatal: out of memory in the KV cache' },
      { level: 'warn', text: '    at grow (kvCache.ts:10)' },
    ]);
    assert.deepEqual(stderr.push('[E:onnxruntime:, inference_session.cc:12] Invalid model\nno newline'), [
      { level: 'warn', text: '[E:onnxruntime:, inference_session.cc:12] Invalid model' },
    ]);
    assert.deepEqual(stderr.flush(), [{ level: 'warn', text: 'no newline' }]);
  });
});
