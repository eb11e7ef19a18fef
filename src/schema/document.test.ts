import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { dataSchema, loadDocument } from './document.js';

interface Thing {
  apiVersion: string;
  kind: 'Thing';
  size: number;
}

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'document-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const SCHEMA = JSON.stringify({
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'size'],
  properties: { apiVersion: { type: 'string' }, kind: { const: 'Thing' }, size: { type: 'integer' } },
});

async function failure(dir: string, file: string): Promise<Error> {
  const schema = dataSchema<Thing>('thing-test', join(dir, 'thing.schema.json'));
  const err = await loadDocument(join(dir, file), 'Thing', schema).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as Error;
}

describe('loadDocument', () => {
  it('reads YAML and JSON documents of the kind', async () => {
    const dir = await dirWith({
      'thing.schema.json': SCHEMA,
      'a.yaml': 'apiVersion: cncfdemo.io/v1alpha1\nkind: Thing\nsize: 3\n',
      'b.json': '{"apiVersion": "cncfdemo.io/v1alpha1", "kind": "Thing", "size": 4}',
    });
    const schema = dataSchema<Thing>('thing-test', join(dir, 'thing.schema.json'));
    expect((await loadDocument(join(dir, 'a.yaml'), 'Thing', schema)).size).toBe(3);
    expect((await loadDocument(join(dir, 'b.json'), 'Thing', schema)).size).toBe(4);
  });

  it.each([
    [
      'wrong kind',
      'apiVersion: cncfdemo.io/v1alpha1\nkind: Other\nsize: 3\n',
      /expected apiVersion cncfdemo.io\/v1alpha1 and kind Thing/,
    ],
    ['wrong apiVersion', 'apiVersion: v1\nkind: Thing\nsize: 3\n', /expected apiVersion/],
    [
      'schema violation',
      'apiVersion: cncfdemo.io/v1alpha1\nkind: Thing\nsize: big\ncolour: red\n',
      /\/ must NOT have additional properties \("colour"\); \/size must be integer/,
    ],
    ['bad YAML', 'apiVersion: cncfdemo.io/v1alpha1\nkind: Thing\nsize: [1,\n', /not valid YAML: /],
    ['not a mapping', '- 1\n- 2\n', /expected apiVersion/],
  ])('rejects %s in one line naming the file', async (_case, text, pattern) => {
    const dir = await dirWith({ 'thing.schema.json': SCHEMA, 'doc.yaml': text });
    const err = await failure(dir, 'doc.yaml');
    expect(err.message).toMatch(pattern);
    expect(err.message).toContain('doc.yaml: ');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('says when the file cannot be read', async () => {
    const dir = await dirWith({ 'thing.schema.json': SCHEMA });
    expect((await failure(dir, 'missing.yaml')).message).toMatch(/missing\.yaml: cannot read \(ENOENT\)/);
  });
});
