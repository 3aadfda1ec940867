// The Compare panel's bundle (esbuild.mjs's `compare` target), built like the chat's, once per test process,
// so its suite never runs against a stale dist/compare.js.
import { buildBundle } from './buildWebview';

export function buildCompareWebview(): Promise<string> {
  return buildBundle('compare', 'src/webview/compare/main.ts');
}
