import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import {
  CONFIGMAP_MAX_BYTES,
  configMapDataSize,
  configMapFromFiles,
  type ConfigMapOptions,
} from './configmap.js';

const cwd = fileURLToPath(new URL('../../test/fixtures/configmap/', import.meta.url));
const text = (path: string): string => readFileSync(join(cwd, path), 'utf8');
const base64 = (path: string): string => readFileSync(join(cwd, path)).toString('base64');

describe('configMapFromFiles', () => {
  const cases: [label: string, options: ConfigMapOptions, data: string[], binaryData: string[]][] = [
    [
      'a directory: its top-level regular files, subdirectories skipped',
      { fromFile: ['mixed'] },
      ['a.conf', 'b.properties', 'c.txt'],
      ['logo.bin'],
    ],
    [
      'a directory with -R: nested files keyed by their path joined with _',
      { fromFile: ['mixed'], recursive: true },
      ['a.conf', 'b.properties', 'c.txt', 'nested_d.conf', 'nested_deeper_e.txt'],
      ['logo.bin'],
    ],
    ['a file: its base name', { fromFile: ['mixed/nested/d.conf'] }, ['d.conf'], []],
    ['KEY=PATH', { fromFile: ['settings=mixed/a.conf', 'png=mixed/logo.bin'] }, ['settings'], ['png']],
    [
      'literals with files',
      { fromFile: ['mixed/a.conf'], fromLiteral: ['mode=fast', 'expr=a=b'] },
      ['a.conf', 'expr', 'mode'],
      [],
    ],
    ['nothing at all', {}, [], []],
  ];

  it.each(cases)('%s', async (_label, options, data, binaryData) => {
    const cm = await configMapFromFiles('settings', { ...options, cwd });
    expect(cm.apiVersion).toBe('v1');
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toEqual({ name: 'settings' });
    expect(Object.keys(cm.data ?? {})).toEqual(data);
    expect(Object.keys(cm.binaryData ?? {})).toEqual(binaryData);
  });

  it('keeps file contents byte for byte: text in data, the rest base64 in binaryData', async () => {
    const cm = await configMapFromFiles('x', {
      fromFile: ['mixed'],
      recursive: true,
      namespace: 'demo',
      cwd,
    });
    expect(cm.metadata).toEqual({ name: 'x', namespace: 'demo' });
    expect(cm.data?.['c.txt']).toBe(text('mixed/c.txt'));
    expect(cm.data?.['nested_deeper_e.txt']).toBe(text('mixed/nested/deeper/e.txt'));
    expect(cm.binaryData?.['logo.bin']).toBe(base64('mixed/logo.bin'));
    expect(cm.data?.['expr']).toBeUndefined();
    const literal = await configMapFromFiles('x', { fromLiteral: ['expr=a=b'] });
    expect(literal.data).toEqual({ expr: 'a=b' });
  });

  const invalid: [label: string, name: string, options: ConfigMapOptions, message: RegExp][] = [
    [
      'a key collision under -R',
      'c',
      { fromFile: ['collision'], recursive: true },
      /^cannot add key "sub_a\.txt" from collision\/sub_a\.txt: collision\/sub\/a\.txt already gave that key/,
    ],
    [
      'a duplicate key',
      'c',
      { fromFile: ['mixed/a.conf'], fromLiteral: ['a.conf=1'] },
      /^cannot add key "a\.conf" from --from-literal=a\.conf: mixed\/a\.conf already gave/,
    ],
    [
      'an invalid key from a file name',
      'c',
      { fromFile: ['invalid-key'] },
      /^"my file\.txt" \(from invalid-key\/my file\.txt\) is not a valid key name for a ConfigMap/,
    ],
    ['an invalid literal key', 'c', { fromLiteral: ['..x=1'] }, /^"\.\.x" .* must not start with '\.\.'$/],
    ['a key for a directory', 'c', { fromFile: ['k=mixed'] }, /cannot give a key name for a directory path$/],
    ['a missing path', 'c', { fromFile: ['nope'] }, /^error reading nope: no such file or directory$/],
    ['a file source with two =', 'c', { fromFile: ['a=b=c'] }, /key names or file paths cannot contain '='$/],
    [
      'a literal without =',
      'c',
      { fromLiteral: ['novalue'] },
      /^invalid literal source novalue, expected key=value$/,
    ],
    ['an invalid name', 'Bad_Name', {}, /^invalid ConfigMap name "Bad_Name"/],
  ];
  it.each(invalid)('rejects %s with a hint', async (_label, name, options, message) => {
    const error = await configMapFromFiles(name, { ...options, cwd }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toBeTruthy();
  });
});

describe('the 1 MiB limit', () => {
  it('counts value bytes like the API server: exactly 1 MiB passes, one byte more fails', async () => {
    const atLimit = await configMapFromFiles('x', { fromLiteral: [`k=${'x'.repeat(CONFIGMAP_MAX_BYTES)}`] });
    expect(configMapDataSize(atLimit)).toBe(CONFIGMAP_MAX_BYTES);
    await expect(
      configMapFromFiles('x', { fromLiteral: [`k=${'é'.repeat(CONFIGMAP_MAX_BYTES / 2)}`, 'j=1'] }),
    ).rejects.toThrow(/over the 1 MiB limit \(1048576 bytes\)/);
  });

  it('names the largest files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-size-'));
    await writeFile(join(dir, 'big.txt'), 'a'.repeat(700 * 1024));
    await writeFile(join(dir, 'medium.bin'), Buffer.alloc(300 * 1024, 0xff));
    await writeFile(join(dir, 'small.txt'), 'b'.repeat(100 * 1024));
    await writeFile(join(dir, 'tiny.txt'), 'c');
    await expect(configMapFromFiles('x', { fromFile: [dir] })).rejects.toThrow(
      `ConfigMap "x" would hold 1.07 MiB (1126401 bytes), over the 1 MiB limit (1048576 bytes); largest: ${join(dir, 'big.txt')} (700 KiB), ${join(dir, 'medium.bin')} (300 KiB), ${join(dir, 'small.txt')} (100 KiB)`,
    );
  });
});
