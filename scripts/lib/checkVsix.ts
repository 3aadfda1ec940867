// What a Hearth VSIX must and must not contain. Returns the problems found (empty: the VSIX is fine).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { allTargets, type VsixContents } from './vsix';

const allowedModules = ['onnxruntime-node', 'onnxruntime-common'];

export function vsixProblems(contents: VsixContents): string[] {
  const problems: string[] = [];
  const files = contents.entries.map((e) => e.path).filter((p) => p.startsWith('extension/')).map((p) => p.slice('extension/'.length)).filter((p) => p !== '' && !p.endsWith('/'));
  const has = (path: string): boolean => files.includes(path);
  const forbid = (label: string, test: (path: string) => boolean): void => {
    const found = files.filter(test);
    if (found.length) problems.push(`holds ${label}: ${found.slice(0, 5).join(', ')}${found.length > 5 ? ` (+${found.length - 5} more)` : ''}`);
  };

  const target = contents.target;
  if (!target) problems.push('has no TargetPlatform: package it with `npm run package` (vsce package --target)');
  forbid('TypeScript sources (src/)', (p) => p.startsWith('src/'));
  forbid('tests', (p) => /^(test|out|\.vscode-test)\//.test(p) || /\.test\.[jt]s$/.test(p));
  forbid('source maps', (p) => p.endsWith('.map'));
  forbid('TypeScript files', (p) => /\.(ts|tsx|mts|cts)$/.test(p));
  forbid('development folders', (p) => /^(scripts|bench|models|\.ci|\.vscode|\.agents)\//.test(p));
  forbid('node_modules other than onnxruntime', (p) => p.startsWith('node_modules/') && !allowedModules.some((m) => p.startsWith(`node_modules/${m}/`)));
  for (const other of allTargets.filter((t) => t !== target)) {
    const [platform, arch] = other.split('-');
    forbid(`${other} binaries`, (p) => new RegExp(`^node_modules/onnxruntime-node/bin/napi-v\\d+/${platform}/${arch}/`).test(p));
  }

  for (const required of ['package.json', 'dist/extension.js', 'dist/engineHost.js', 'dist/webview.js', 'dist/compare.js', 'node_modules/onnxruntime-node/package.json', 'node_modules/onnxruntime-node/dist/index.js', 'node_modules/onnxruntime-common/package.json', 'node_modules/onnxruntime-common/dist/cjs/index.js']) {
    if (!has(required)) problems.push(`lacks ${required}`);
  }
  if (target) {
    const [platform, arch] = target.split('-');
    if (!files.some((p) => new RegExp(`^node_modules/onnxruntime-node/bin/napi-v\\d+/${platform}/${arch}/onnxruntime_binding\\.node$`).test(p))) {
      problems.push(`lacks onnxruntime-node's ${target} binding (bin/napi-v*/${platform}/${arch}/onnxruntime_binding.node)`);
    }
  }
  if (!files.some((p) => p.startsWith('dist/demo-model/'))) problems.push('lacks the demo model (dist/demo-model/): the build must generate it');

  // Whatever the build put in dist/ (but source maps) must ship: a new asset needs a line in .vscodeignore.
  const distDir = join(repoRoot, 'dist');
  if (existsSync(distDir)) {
    const built = readdirSync(distDir, { recursive: true, encoding: 'utf8', withFileTypes: false })
      .map((p) => `dist/${p.split('\\').join('/')}`)
      .filter((p) => !p.endsWith('.map') && existsSync(join(repoRoot, p)) && !readdirSafe(join(repoRoot, p)));
    const missing = built.filter((p) => !has(p));
    if (missing.length) problems.push(`leaves out built files (add them to .vscodeignore): ${missing.slice(0, 5).join(', ')}`);
  }
  return problems;
}

/** True when the path is a folder. */
function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}
