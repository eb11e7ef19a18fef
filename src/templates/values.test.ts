import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { loadValues, mergeValues } from './values.js';

const dir = fileURLToPath(new URL('../../test/fixtures/templates/values/', import.meta.url));

describe('loadValues', () => {
  it('deep-merges values files in order, lists replaced, then applies --set on top', async () => {
    const values = await loadValues({
      valuesFiles: ['base.yaml', 'override.yaml'],
      set: ['replicas=3', 'image.tag=1.28,extra.list={a,b}', 'ports[1]=9090'],
      cwd: dir,
    });
    expect(values).toEqual({
      image: { repository: 'nginx', tag: '1.28', pullPolicy: 'IfNotPresent' },
      replicas: 3,
      ports: [null, 9090],
      features: { metrics: true, tracing: true },
      extra: { list: ['a', 'b'] },
    });
  });

  it('reads an empty values file as no values', async () => {
    expect(await loadValues({ valuesFiles: ['empty.yaml'], cwd: dir })).toEqual({});
  });

  const bad: [string, string[], string[], RegExp][] = [
    ['a missing file', ['nope.yaml'], [], /^values file "nope\.yaml" does not exist$/],
    ['a list', ['list.yaml'], [], /^list\.yaml:1: values must be a YAML mapping/],
    [
      'two documents',
      ['two-documents.yaml'],
      [],
      /^two-documents\.yaml:3: a values file holds one YAML document/,
    ],
    ['a bad --set', [], ['ok=1', 'broken'], /^invalid --set "broken": key "broken" has no value$/],
  ];
  it.each(bad)('rejects %s with a hint', async (_label, valuesFiles, set, message) => {
    const error = await loadValues({ valuesFiles, set, cwd: dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toBeTruthy();
  });
});

describe('mergeValues', () => {
  it('does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    const merged = mergeValues(base, { a: { c: 2 } });
    expect(merged).toEqual({ a: { b: 1, c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });

  it('lets null and scalars replace maps', () => {
    expect(mergeValues({ a: { b: 1 }, c: { d: 1 } }, { a: null, c: 'x' })).toEqual({ a: null, c: 'x' });
  });
});
