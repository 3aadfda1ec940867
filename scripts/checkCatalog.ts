// Build step: models/catalog.json must match its schema (the extension bundles it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogSchema } from '../src/hub/catalogSchema';

const path = join(__dirname, '..', 'models', 'catalog.json');
const result = CatalogSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
if (!result.success) {
  console.error(`${path} is not a valid catalog:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(1);
}
console.log(`catalog: ${result.data.models.length} models`);
