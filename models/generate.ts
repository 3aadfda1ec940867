// CLI: npx tsx models/generate.ts --name <TestModelName>   (prints the model folder)
//      npx tsx models/generate.ts --list
import { parseArgs } from 'node:util';
import { ensureModel, isTestModelName, TEST_MODELS } from './testModels';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, list: { type: 'boolean' } } });
  const names = Object.keys(TEST_MODELS);
  if (values.list) {
    console.log(names.join('\n'));
    return;
  }
  if (!values.name || !isTestModelName(values.name)) {
    throw new Error(`Usage: npx tsx models/generate.ts --name <name>, where <name> is one of: ${names.join(', ')}.`);
  }
  console.log(await ensureModel(values.name));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
