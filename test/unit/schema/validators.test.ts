import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_VALUES_FILE, VALUES_SCHEMA } from '../../../src/stack/values.js';
import { loadValidator, precompileValidator } from '../../../src/schema/ajv.js';

let dir: string;
let defaults: Record<string, unknown>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validators-'));
  defaults = parse(await readFile(DEFAULT_VALUES_FILE, 'utf8')) as Record<string, unknown>;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('precompiled validators', () => {
  it('judge values as the schema compiled at run time does, custom formats included', async () => {
    const compiled = loadValidator(VALUES_SCHEMA, dir);
    const file = precompileValidator(VALUES_SCHEMA, dir);
    expect(await readdir(dir)).toEqual([file.slice(dir.length + 1)]);
    const precompiled = loadValidator(VALUES_SCHEMA, dir);
    // ajv's compiled functions carry their schema; the standalone code read from the file does not
    expect('schema' in compiled).toBe(true);
    expect('schema' in precompiled).toBe(false);
    const badImage = { ...defaults, mongo: { ...(defaults.mongo as object), image: 'Mongo 8' } };
    for (const validate of [compiled, precompiled]) {
      expect(validate(defaults)).toBe(true);
      expect(validate(badImage)).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toContainEqual([
        '/mongo/image',
        'format',
      ]);
    }
  });

  it('are not used for another version of the schema', () => {
    const changed = { ...VALUES_SCHEMA, options: { ...VALUES_SCHEMA.options, allErrors: false } };
    const file = precompileValidator(VALUES_SCHEMA, dir);
    expect(precompileValidator(changed, dir)).not.toBe(file);
  });
});
