// @vscode/test-cli configuration: `npm run test:electron` runs the integration suite in a downloaded VS Code
// (desktop, needs internet). Offline, `npm run test:integration` runs the same suite in code-server.
import { mkdirSync } from 'node:fs';
import { defineConfig } from '@vscode/test-cli';

const workspaceFolder = '.vscode-test/electron-workspace';
mkdirSync(workspaceFolder, { recursive: true });

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 20000, forbidOnly: true },
});
