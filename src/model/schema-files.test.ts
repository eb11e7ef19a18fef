import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_SCHEMAS } from './schema-files.js';

describe('generated schema files (npm run schemas)', () => {
  it.each(Object.entries(GENERATED_SCHEMAS))('schemas/%s is written from its object', (name, object) => {
    const file = join(import.meta.dirname, '../../schemas', name);
    // Run `npm run schemas` after changing the object; the file is what the validator compiles.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(object);
  });
});
