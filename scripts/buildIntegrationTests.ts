// Bundles the integration suite for the extension host: out/test/integration/index.js (mocha's `run()`, used
// by scripts/runIntegration.ts) and one standalone bundle per *.test.ts (also what @vscode/test-cli loads).
// Our own modules are bundled; packages (vscode, mocha, zod, ...) stay external and resolve from node_modules.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './lib/paths';

const sourceDir = join(repoRoot, 'test', 'integration');
const outDir = join(repoRoot, 'out', 'test', 'integration');

export async function buildIntegrationTests(): Promise<void> {
  const entries = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
    .map((file) => join(sourceDir, file));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outbase: sourceDir,
    outdir: outDir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (require.main === module) {
  buildIntegrationTests().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
