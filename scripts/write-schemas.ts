/**
 * Writes the schemas/ files that are generated from the model's schema objects (src/model/schema-files.ts),
 * formatted as the repository formats JSON (objects one key a line, as prettier keeps them). test/unit/model/schema-files.test.ts fails while one differs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { packageRoot } from '../src/config/paths.js';
import { GENERATED_SCHEMAS } from '../src/model/schema-files.js';

for (const [name, schema] of Object.entries(GENERATED_SCHEMAS)) {
  const file = join(packageRoot, 'schemas', name);
  const options = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(JSON.stringify(schema, null, 2), { ...options, filepath: file }));
  console.log(`wrote schemas/${name}`);
}
