// The GPU's memory from the OS: nvidia-smi, amdgpu's sysfs files, Apple silicon's unified memory, and
// "unknown" wherever the answer would not be reliable (missing tools, malformed output, timeouts).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandRunner, type GpuProbeEnvironment, parseNvidiaSmi, probeGpuMemory, runCommand } from '../../../src/hub/gpuMemory';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A runner that answers nvidia-smi with this output and records what it was asked. */
function answering(out: string, calls: string[][] = []): CommandRunner {
  return async (file, args) => {
    calls.push([file, ...args]);
    return out;
  };
}

const missing: CommandRunner = async (file) => {
  throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
};

/** A runner that never answers: it settles only when its signal aborts, as execFile does. */
const hanging: CommandRunner = (_file, _args, signal) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

describe('hub: GPU memory', () => {
  let drmDir: string;
  const env = (over: Partial<GpuProbeEnvironment>): GpuProbeEnvironment => ({
    platform: 'linux',
    arch: 'x64',
    cpuModel: 'AMD Ryzen 7 7700X 8-Core Processor',
    drmDir,
    run: missing,
    timeoutMs: 2000,
    ...over,
  });
  const card = (name: string, files: Record<string, string>) => {
    mkdirSync(join(drmDir, name, 'device'), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(drmDir, name, 'device', file), text);
  };

  beforeEach(() => {
    drmDir = mkdtempSync(join(tmpdir(), 'hearth-drm-'));
  });
  afterEach(() => rmSync(drmDir, { recursive: true, force: true }));

  it('reads NVIDIA GPUs from nvidia-smi (MiB), largest first, and asks for exactly the two fields', async () => {
    const calls: string[][] = [];
    const got = await probeGpuMemory(env({ run: answering('NVIDIA GeForce RTX 3060, 6144\nNVIDIA GeForce RTX 4070, 12282\n', calls) }));
    assert.deepEqual(got, {
      kind: 'dedicated',
      gpus: [
        { name: 'NVIDIA GeForce RTX 4070', bytes: 12282 * MiB },
        { name: 'NVIDIA GeForce RTX 3060', bytes: 6144 * MiB },
      ],
    });
    assert.deepEqual(calls, [['nvidia-smi', '--query-gpu=name,memory.total', '--format=csv,noheader,nounits']]);
  });

  it('leaves out malformed nvidia-smi lines and "[N/A]" memory (unified-memory boards)', () => {
    const out = 'NVIDIA GB10, [N/A]\r\nno comma here\n, 8192\nTesla T4, 15360\nBroken, 12.5\nZero, 0\n\n';
    assert.deepEqual(parseNvidiaSmi(out), [{ name: 'Tesla T4', bytes: 15360 * MiB }]);
    assert.deepEqual(parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'), []);
  });

  it('is unknown when nvidia-smi is missing and sysfs has no VRAM file (NVIDIA, Intel, no GPU)', async () => {
    card('card0', { vendor: '0x10de' });
    card('card1', { vendor: '0x8086' });
    assert.equal(await probeGpuMemory(env({})), undefined);
    assert.equal(await probeGpuMemory(env({ drmDir: join(drmDir, 'no-such-folder') })), undefined);
  });

  it('gives up on nvidia-smi after the timeout and is unknown', async () => {
    assert.equal(await probeGpuMemory(env({ run: hanging, timeoutMs: 20 })), undefined);
  });

  it('stops nvidia-smi when the caller cancels', async () => {
    const controller = new AbortController();
    const probe = probeGpuMemory(env({ run: hanging, timeoutMs: 60_000 }), controller.signal);
    controller.abort();
    assert.equal(await probe, undefined);
  });

  it('reads AMD cards from mem_info_vram_total (bytes), naming them by product_name or vendor', async () => {
    card('card0', { vendor: '0x1002\n', mem_info_vram_total: `${16 * GiB}\n`, product_name: 'AMD Radeon RX 7800 XT\n' });
    card('card1', { vendor: '0x1002\n', mem_info_vram_total: `${8 * GiB}\n`, product_name: '\n' });
    card('card1-DP-1', { mem_info_vram_total: `${32 * GiB}` }); // a connector, not a card
    card('renderD128', { mem_info_vram_total: `${32 * GiB}` });
    assert.deepEqual(await probeGpuMemory(env({})), {
      kind: 'dedicated',
      gpus: [
        { name: 'AMD Radeon RX 7800 XT', bytes: 16 * GiB },
        { name: 'AMD GPU (card1)', bytes: 8 * GiB },
      ],
    });
  });

  it('takes an integrated GPU carve-out (under 2 GB) and malformed sysfs values as unknown', async () => {
    card('card0', { vendor: '0x1002', mem_info_vram_total: `${512 * MiB}` });
    card('card1', { vendor: '0x1002', mem_info_vram_total: 'garbage' });
    card('card2', { vendor: '0x1002', mem_info_vram_total: '' });
    assert.equal(await probeGpuMemory(env({})), undefined);
  });

  it('lists NVIDIA (nvidia-smi) and AMD (sysfs) GPUs of one machine together', async () => {
    card('card0', { vendor: '0x1002', mem_info_vram_total: `${20 * GiB}` });
    const got = await probeGpuMemory(env({ run: answering('NVIDIA RTX A4000, 16376') }));
    assert.deepEqual(got?.kind === 'dedicated' && got.gpus.map((g) => g.name), ['AMD GPU (card0)', 'NVIDIA RTX A4000']);
  });

  it('says a Mac with Apple silicon has unified memory, also under Rosetta; an Intel Mac is unknown', async () => {
    const calls: string[][] = [];
    const run = answering('', calls);
    assert.deepEqual(await probeGpuMemory(env({ platform: 'darwin', arch: 'arm64', cpuModel: 'Apple M2 Pro', run })), { kind: 'unified' });
    assert.deepEqual(await probeGpuMemory(env({ platform: 'darwin', arch: 'x64', cpuModel: 'Apple M1', run })), { kind: 'unified' });
    assert.equal(await probeGpuMemory(env({ platform: 'darwin', arch: 'x64', cpuModel: 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz', run })), undefined);
    assert.deepEqual(calls, [], 'no process started on a Mac');
  });

  it('on Windows asks nvidia-smi only, not sysfs or the 4 GB-capped WMI field', async () => {
    card('card0', { vendor: '0x1002', mem_info_vram_total: `${16 * GiB}` });
    const calls: string[][] = [];
    assert.deepEqual(await probeGpuMemory(env({ platform: 'win32', run: answering('NVIDIA GeForce RTX 4090, 24564\r\n', calls) })), {
      kind: 'dedicated',
      gpus: [{ name: 'NVIDIA GeForce RTX 4090', bytes: 24564 * MiB }],
    });
    assert.equal(calls.length, 1);
    assert.equal(await probeGpuMemory(env({ platform: 'win32' })), undefined);
  });

  (process.platform === 'win32' ? describe.skip : describe)('with a real process (a stand-in nvidia-smi script)', () => {
    /** runCommand, but finding the program in drmDir's bin/ folder instead of PATH. */
    const fromBin: CommandRunner = (file, args, signal) => runCommand(join(drmDir, 'bin', file), args, signal);
    const script = (body: string) => {
      mkdirSync(join(drmDir, 'bin'));
      writeFileSync(join(drmDir, 'bin', 'nvidia-smi'), `#!/bin/sh\n${body}\n`);
      chmodSync(join(drmDir, 'bin', 'nvidia-smi'), 0o755);
    };

    it('reads its output', async () => {
      script('[ "$1 $2" = "--query-gpu=name,memory.total --format=csv,noheader,nounits" ] && echo "NVIDIA H100 80GB HBM3, 81559"');
      assert.deepEqual(await probeGpuMemory(env({ run: fromBin })), { kind: 'dedicated', gpus: [{ name: 'NVIDIA H100 80GB HBM3', bytes: 81559 * MiB }] });
    });

    it('is unknown when it fails (no driver loaded) or is not there', async () => {
      script('echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver."; exit 9');
      assert.equal(await probeGpuMemory(env({ run: fromBin })), undefined);
      assert.equal(await probeGpuMemory(env({ run: (file, args, signal) => runCommand(join(drmDir, 'nowhere', file), args, signal) })), undefined);
    });

    /** Resolves when drmDir holds this file (watched, not polled). */
    const appears = (name: string) =>
      new Promise<void>((resolve) => {
        const watcher = watch(drmDir, () => {
          if (existsSync(join(drmDir, name))) {
            watcher.close();
            resolve();
          }
        });
        if (existsSync(join(drmDir, name))) {
          watcher.close();
          resolve();
        }
      });

    it('gives up on one that hangs when the timeout passes', async () => {
      script('exec sleep 30');
      const started = Date.now();
      assert.equal(await probeGpuMemory(env({ run: fromBin, timeoutMs: 300 })), undefined);
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    });

    it('kills it: the hanging process gets SIGTERM', async () => {
      const dir = drmDir;
      script(`trap 'echo > "${dir}/terminated"; kill $child; exit 0' TERM; sleep 30 & child=$!; echo > "${dir}/ready"; wait $child`);
      const controller = new AbortController();
      const terminated = appears('terminated');
      const probe = probeGpuMemory(env({ run: fromBin, timeoutMs: 60_000 }), controller.signal);
      await appears('ready');
      controller.abort();
      assert.equal(await probe, undefined);
      await terminated;
    });
  });
});
