// Builds the Compare panel's bundle (esbuild.mjs's `compare` target) into a temporary folder, once per
// test process, so its suite never runs against a stale dist/compare.js.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './buildWebview';

let built: Promise<string> | undefined;

export function buildCompareWebview(): Promise<string> {
  built ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'hearth-compare-'));
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    await esbuild.build({
      absWorkingDir: repoRoot,
      entryPoints: { compare: 'src/webview/compare/main.ts' },
      outdir,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
    });
    return join(outdir, 'compare.js');
  })();
  return built;
}
