// Builds and inspects Hearth's platform-specific VSIX files. A VSIX carries onnxruntime-node's native binaries for
// one platform only (all of them together are ~290 MB), so there is one VSIX per VS Code target.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { repoRoot } from './paths';

export const allTargets = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'] as const;
export type Target = (typeof allTargets)[number];

export function isTarget(value: string): value is Target {
  return (allTargets as readonly string[]).includes(value);
}

/** The target of this machine, e.g. linux-x64. */
export function hostTarget(): Target {
  const target = `${process.platform}-${process.arch}`;
  if (!isTarget(target)) throw new Error(`No Hearth build target for this machine (${target}); pass --target.`);
  return target;
}

const onnxBin = join(repoRoot, 'node_modules', 'onnxruntime-node', 'bin');
const binariesLine = '!node_modules/onnxruntime-node/bin/**';

/** onnxruntime-node's binary folders for a target, relative to its bin/ (e.g. napi-v6/linux/x64). */
export function onnxBinaryFolders(target: Target): string[] {
  const [platform, arch] = target.split('-') as [string, string];
  if (!existsSync(onnxBin)) return [];
  return readdirSync(onnxBin)
    .filter((napi) => /^napi-v\d+$/.test(napi) && existsSync(join(onnxBin, napi, platform, arch)))
    .map((napi) => `${napi}/${platform}/${arch}`);
}

export function vsixPath(target: Target): string {
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, 'out', 'vsix', `${name}-${target}-${version}.vsix`);
}

/** Runs vsce quietly: its file tree is printed only when it fails (checkVsix reports the contents). */
function runVsce(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const text = output.join('');
      if (code !== 0) return reject(new Error(`vsce ${args.slice(1).join(' ')} exited with ${code}:\n${text}`));
      for (const line of text.split('\n')) if (/WARNING|DONE/.test(line)) console.log(`[package] ${line.trim()}`);
      resolve();
    });
  });
}

/** Runs `vsce package --target` with a .vscodeignore that lets in only this target's onnxruntime binaries. */
export async function packageTarget(target: Target): Promise<string> {
  const folders = onnxBinaryFolders(target);
  if (folders.length === 0) {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string }).version;
    throw new Error(`onnxruntime-node ${version} ships no binaries for ${target} (node_modules/onnxruntime-node/bin/napi-v*/${target.replace('-', '/')}); this target cannot run the local engine.`);
  }
  const ignore = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8');
  if (!ignore.split('\n').includes(binariesLine)) throw new Error(`.vscodeignore must contain the line ${binariesLine} (the package script replaces it per target).`);
  const tempDir = mkdtempSync(join(tmpdir(), 'hearth-vscodeignore-'));
  const ignoreFile = join(tempDir, '.vscodeignore');
  writeFileSync(ignoreFile, ignore.replace(binariesLine, folders.map((f) => `!node_modules/onnxruntime-node/bin/${f}/**`).join('\n')));
  const out = vsixPath(target);
  mkdirSync(join(out, '..'), { recursive: true });
  const args = [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out, '--allow-missing-repository'];
  if (!existsSync(join(repoRoot, 'LICENSE'))) {
    console.warn('[package] WARNING: no LICENSE file; packaging without one (add LICENSE before publishing).');
    args.push('--skip-license');
  }
  try {
    await runVsce(args);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  return out;
}

export interface VsixEntry {
  path: string;
  size: number;
}

export interface VsixContents {
  entries: VsixEntry[];
  /** The `TargetPlatform` in extension.vsixmanifest, if any. */
  target: string | undefined;
}

/** Lists a VSIX (a zip) and reads its target platform from the manifest. */
export function readVsix(file: string): Promise<VsixContents> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error(`cannot open ${file}`));
      const entries: VsixEntry[] = [];
      let target: string | undefined;
      zip.on('error', reject);
      zip.on('end', () => resolve({ entries, target }));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ path: entry.fileName, size: entry.uncompressedSize });
        if (entry.fileName !== 'extension.vsixmanifest') return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('cannot read extension.vsixmanifest'));
          const parts: Buffer[] = [];
          stream.on('data', (part: Buffer) => parts.push(part));
          stream.on('end', () => {
            target = /TargetPlatform="([^"]+)"/.exec(Buffer.concat(parts).toString('utf8'))?.[1];
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
