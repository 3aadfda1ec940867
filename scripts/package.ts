// Production build, then one VSIX per target into out/vsix/, each checked by checkVsix.
// Usage: npm run package [-- --target linux-x64 | --targets linux-x64,darwin-arm64 | --all] [--skip-build]
// Default target: this machine's. --all skips (with a warning) targets onnxruntime-node has no binaries for.
import { spawnSync } from 'node:child_process';
import { checkVsix } from './checkVsix';
import { repoRoot } from './lib/paths';
import { allTargets, hostTarget, isTarget, onnxBinaryFolders, packageTarget, type Target } from './lib/vsix';

function requestedTargets(argv: string[]): Target[] {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  if (argv.includes('--all')) {
    const skipped = allTargets.filter((t) => onnxBinaryFolders(t).length === 0);
    for (const t of skipped) console.warn(`[package] skipping ${t}: onnxruntime-node ships no binaries for it`);
    return allTargets.filter((t) => !skipped.includes(t));
  }
  const list = value('--targets') ?? value('--target');
  if (list === undefined) return [hostTarget()];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isTarget(n));
  if (unknown.length || names.length === 0) {
    throw new Error(`Unknown target(s) "${unknown.join(', ') || list}". Valid targets: ${allTargets.join(', ')}.`);
  }
  return names.filter(isTarget);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const targets = requestedTargets(argv);
  if (!argv.includes('--skip-build')) {
    const build = spawnSync('npm', ['run', 'build:prod'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) return build.status ?? 1;
  }
  let ok = true;
  for (const target of targets) {
    const file = await packageTarget(target);
    ok = (await checkVsix(file)) && ok;
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[package] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
