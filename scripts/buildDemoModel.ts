// Puts the wired demo model into dist/demo-model, so the VSIX has a local model that works offline.
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureModel } from '../models/testModels';

async function main(): Promise<void> {
  const source = await ensureModel('demo-tjs');
  const target = join(__dirname, '..', 'dist', 'demo-model');
  await rm(target, { recursive: true, force: true });
  await mkdir(join(__dirname, '..', 'dist'), { recursive: true });
  await cp(source, target, { recursive: true });
  console.log(`demo model: ${target}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
