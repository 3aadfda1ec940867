// The VSIX for this machine, rebuilt (production build + package + check) unless one newer than every input
// exists. HEARTH_E2E_VSIX names a prebuilt VSIX to use as is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkVsix } from '../checkVsix';
import { repoRoot } from './paths';
import { hostTarget, packageTarget, vsixPath } from './vsix';

/** Newest modification time of the files a VSIX is made from. */
function newestInput(): number {
  const roots = ['src', 'media', 'models', 'package.json', 'package-lock.json', '.vscodeignore', 'esbuild.mjs', 'scripts/buildDemoModel.ts'].map((p) => join(repoRoot, p));
  let newest = 0;
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      if (path.endsWith('.generated') || path.endsWith('node_modules')) return;
      for (const name of readdirSync(path)) visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  roots.forEach(visit);
  return newest;
}

export async function freshVsix(): Promise<string> {
  const given = process.env.HEARTH_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`HEARTH_E2E_VSIX points at ${given}, which does not exist.`);
    return given;
  }
  const target = hostTarget();
  const file = vsixPath(target);
  if (existsSync(file) && statSync(file).mtimeMs > newestInput()) {
    console.log(`[e2e] reusing ${file} (newer than its sources)`);
    return file;
  }
  const build = spawnSync('npm', ['run', 'build:prod'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build:prod failed (exit ${build.status})`);
  await packageTarget(target);
  if (!(await checkVsix(file))) throw new Error(`${file} failed its content check (see above).`);
  return file;
}
