import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { kubectl, testEnv, uniqueName, useNamespace } from './harness.js';

interface ConfigMap {
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

// Not valid UTF-8 (a PNG header): must go to binaryData, byte for byte.
const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80]);
const texts = { 'a.conf': 'listen 80;\n', 'b.properties': 'mode=on\nlevel=3\n', 'c.txt': 'héllo wörld\n' };

describe('create configmap --from-file', () => {
  const ns = useNamespace('cm');
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'configmap-'));
    for (const [name, text] of Object.entries(texts)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'logo.bin'), binary);
    await mkdir(join(dir, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'nested', 'd.conf'), 'nested=true\n');
    await writeFile(join(dir, 'nested', 'deeper', 'e.txt'), 'deep\n');
  });

  const get = async (name: string): Promise<ConfigMap> =>
    JSON.parse(await kubectl(['get', 'configmap', name, '-n', ns.name, '-o', 'json'])) as ConfigMap;

  it('a directory: one key per regular file, subdirectories skipped, binary files in binaryData (as kubectl)', async () => {
    const name = uniqueName('flat');
    const result = await runCli(
      ['create', 'configmap', name, `--from-file=${dir}`, '-n', ns.name],
      testEnv(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`configmap/${name} created\n`);
    const cm = await get(name);
    expect(cm.data).toEqual(texts);
    expect(cm.binaryData).toEqual({ 'logo.bin': binary.toString('base64') });

    const reference = JSON.parse(
      await kubectl([
        'create',
        'configmap',
        name,
        `--from-file=${dir}`,
        '-n',
        ns.name,
        '--dry-run=client',
        '-o',
        'json',
      ]),
    ) as ConfigMap;
    expect(cm.data).toEqual(reference.data);
    expect(cm.binaryData).toEqual(reference.binaryData);
  });

  it('-R walks subdirectories with keys that stay valid and unambiguous', async () => {
    const name = uniqueName('deep');
    const result = await runCli(
      ['create', 'configmap', name, `--from-file=${dir}`, '-R', '-n', ns.name],
      testEnv(),
    );
    expect(result.code, result.stderr).toBe(0);
    const cm = await get(name);
    expect(Object.keys(cm.data ?? {}).sort()).toEqual([
      'a.conf',
      'b.properties',
      'c.txt',
      'nested_d.conf',
      'nested_deeper_e.txt',
    ]);
    expect(cm.data?.['nested_deeper_e.txt']).toBe('deep\n');
    expect(Object.keys(cm.binaryData ?? {})).toEqual(['logo.bin']);
  });

  it('KEY=PATH renames a file; --from-literal adds literals; -o yaml with --dry-run=client prints without creating', async () => {
    const name = uniqueName('mixed');
    const result = await runCli(
      [
        'create',
        'cm',
        name,
        `--from-file=nginx.conf=${join(dir, 'a.conf')}`,
        '--from-literal=mode=fast',
        '-n',
        ns.name,
        '--dry-run=client',
        '-o',
        'yaml',
      ],
      testEnv(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`name: ${name}`);
    expect(result.stdout).toContain('nginx.conf: |');
    expect(result.stdout).toContain('mode: fast');
    const missing = await kubectl(['get', 'configmap', name, '-n', ns.name, '--ignore-not-found']);
    expect(missing).toBe('');
  });

  it('an existing name fails with AlreadyExists', async () => {
    const name = uniqueName('twice');
    expect(
      (await runCli(['create', 'configmap', name, '--from-literal=a=1', '-n', ns.name], testEnv())).code,
    ).toBe(0);
    const again = await runCli(['create', 'configmap', name, '--from-literal=a=1', '-n', ns.name], testEnv());
    expect(again.code).toBe(1);
    expect(isOneLineError(again.stderr)).toBe(true);
    expect(again.stderr).toContain(`configmaps "${name}" already exists`);
  });
});
