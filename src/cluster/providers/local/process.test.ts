import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLiveProcess } from './process.js';

let proc: string;

beforeAll(async () => {
  proc = await mkdtemp(join(tmpdir(), 'proc-'));
  await mkdir(join(proc, 'self'));
  await writeFile(join(proc, 'self', 'stat'), '1 (node) R 0');
  const stats: Record<string, string> = {
    '100': '100 (kube-apiserver) S 1 100 100 0 -1',
    '101': '101 (kube-apiserver) Z 1 101 101 0 -1',
    '102': '102 (bash) S 1 102 102 0 -1',
    '103': '103 (kube-controller) S 1 103 103 0 -1',
    '104': '104 (weird) (name) S 1',
  };
  for (const [pid, stat] of Object.entries(stats)) {
    await mkdir(join(proc, pid));
    await writeFile(join(proc, pid, 'stat'), stat);
  }
});
afterAll(async () => {
  await rm(proc, { recursive: true, force: true });
});

describe('isLiveProcess', () => {
  it('is true for a running process with the expected name', async () => {
    expect(await isLiveProcess(100, 'kube-apiserver', proc)).toBe(true);
  });

  it('matches names the kernel cut to 15 characters', async () => {
    expect(await isLiveProcess(103, 'kube-controller-manager', proc)).toBe(true);
  });

  it('reads a name that holds spaces and parentheses', async () => {
    expect(await isLiveProcess(104, 'weird) (name', proc)).toBe(true);
  });

  it.each([
    ['a zombie', 101],
    ['a reused pid running something else', 102],
    ['a pid that is gone', 999],
    ['no pid at all', Number.NaN],
  ])('is false for %s', async (_, pid) => {
    expect(await isLiveProcess(pid, 'kube-apiserver', proc)).toBe(false);
  });
});
