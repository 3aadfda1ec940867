// Builds dist/webview.js's twin (same esbuild options as esbuild.mjs's webview target) into a
// temporary folder, once per test process, so tests never run against a stale bundle and do
// not depend on the other bundles (extension, engine host) building.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');

const built = new Map<string, Promise<string>>();

/** Path of a freshly built webview bundle (`name` as in esbuild.mjs: `webview`, `compare`), built once per process. */
export function buildBundle(name: string, entry: string): Promise<string> {
  let bundle = built.get(name);
  if (!bundle) {
    bundle = (async () => {
      const outdir = mkdtempSync(join(tmpdir(), `hearth-${name}-`));
      // The bundle lives as long as the test process; leave no folder behind in the temp dir.
      process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
      await esbuild.build({
        absWorkingDir: repoRoot,
        entryPoints: { [name]: entry },
        outdir,
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        sourcemap: false,
        legalComments: 'none',
        logLevel: 'warning',
      });
      return join(outdir, `${name}.js`);
    })();
    built.set(name, bundle);
  }
  return bundle;
}

/** Path of the freshly built chat webview bundle. */
export function buildWebview(): Promise<string> {
  return buildBundle('webview', 'src/webview/main.ts');
}

/** Bundles a snippet that imports webview modules, as script text to evaluate in a test page. */
export async function bundleSnippet(contents: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}
