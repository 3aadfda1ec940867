// Checks built VSIX files: no sources, tests, source maps or other platforms' binaries; the bundles, the demo
// model and this target's onnxruntime are there. Prints each file's size.
// Usage: npx tsx scripts/checkVsix.ts out/vsix/*.vsix
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { vsixProblems } from './lib/checkVsix';
import { repoRoot } from './lib/paths';
import { readVsix } from './lib/vsix';

export async function checkVsix(file: string): Promise<boolean> {
  const contents = await readVsix(file);
  const problems = vsixProblems(contents);
  const megabytes = (statSync(file).size / 1024 / 1024).toFixed(1);
  const unpacked = (contents.entries.reduce((sum, e) => sum + e.size, 0) / 1024 / 1024).toFixed(1);
  const name = relative(repoRoot, file);
  console.log(`[checkVsix] ${name}: ${contents.target ?? 'no target'}, ${contents.entries.length} files, ${megabytes} MB (${unpacked} MB unpacked)`);
  for (const problem of problems) console.error(`[checkVsix]   FAIL: ${name} ${problem}`);
  return problems.length === 0;
}

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('Usage: npx tsx scripts/checkVsix.ts <file.vsix>...');
    return 2;
  }
  let ok = true;
  for (const file of files) ok = (await checkVsix(file)) && ok;
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
