// hearth.local.device: webgpu in the real extension host: the engine host it forks finds a WebGPU
// adapter (SwiftShader, a Vulkan device in software from Debian's chromium), answers through the
// panel, and the status line names WebGPU and the adapter. The Vulkan loader reads its environment
// when the engine host starts, so the environment is set in this process (the extension host) before
// the device setting restarts the engine, and restored afterwards.
import * as assert from 'node:assert/strict';
import { softwareGpuEnv } from '../../scripts/lib/softwareGpu';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

const VULKAN_KEYS = ['VK_ICD_FILENAMES', 'XDG_RUNTIME_DIR', 'LD_LIBRARY_PATH'] as const;

describe('chat with the local demo model on WebGPU (SwiftShader)', function () {
  this.timeout(180_000);
  let chat: ChatSession | undefined;
  let gpu: ReturnType<typeof softwareGpuEnv> | undefined;
  const saved = new Map<string, string | undefined>();

  before(async () => {
    // Throws, saying how to install it, when SwiftShader is missing: this test never skips.
    gpu = softwareGpuEnv('swiftshader', process.env);
    for (const key of VULKAN_KEYS) {
      saved.set(key, process.env[key]);
      process.env[key] = gpu.env[key];
    }
    chat = await openChat({ 'hearth.provider': 'local', 'hearth.local.modelPath': '', 'hearth.local.device': 'webgpu' });
  });

  afterEach(function () {
    if (chat) printTranscriptIfFailed(this.currentTest, chat.transcript);
  });

  after(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    // Restoring the device setting restarts the engine host, now without SwiftShader.
    await chat?.close();
    gpu?.cleanup();
  });

  it('answers on WebGPU and the status line says so, with the adapter and weights', async () => {
    const transcript = chat?.transcript;
    assert.ok(transcript);
    const turn = await startTurn(transcript, 'Hello, who are you?');
    const done = await turn.done;
    assert.equal(done.status, 'complete', `finished with ${JSON.stringify(done)}`);
    assert.match(turn.text(), /Hearth/);
    assert.equal(done.stats?.device, 'webgpu');
    // The provider's status after the answer: device, adapter and weights, nothing skipped.
    const { status } = await transcript.waitFor(is('status', (m) => m.status.device === 'webgpu' && m.status.deviceDetail !== undefined));
    assert.equal(status.deviceDetail, 'SwiftShader (software) / Vulkan, fp32');
    assert.equal(status.deviceNote, undefined);
  });
});
