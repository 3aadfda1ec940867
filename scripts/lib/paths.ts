// Where the harness keeps things: everything generated lives under .vscode-test/ (git-ignored), like
// @vscode/test-electron's VS Code cache.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const cacheRoot = join(repoRoot, '.vscode-test');
/** The mocha suite index that runs inside the extension host (built by scripts/buildIntegrationTests.ts). */
export const integrationIndex = join(repoRoot, 'out', 'test', 'integration', 'index.js');
