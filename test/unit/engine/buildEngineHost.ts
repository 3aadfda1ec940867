// Bundles src/engine/main.ts like esbuild.mjs does, into a test-only folder inside the repo (so
// the bundle still resolves onnxruntime-node from node_modules); never relies on a stale dist/.
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');

export async function buildEngineHost(): Promise<string> {
  const outfile = join(root, '.cache', 'test-engine-host', `engineHost-${process.pid}.js`);
  await build({
    entryPoints: [join(root, 'src', 'engine', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node'],
    logLevel: 'error',
  });
  return outfile;
}
