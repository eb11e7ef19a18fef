import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import type { Exec } from '../exec/index.js';
import { buildCommands, scriptBuild } from './build.js';
import { setDir, type BuildRequest } from './install.js';
import { formatInstallEvent, type InstallEvent } from './progress.js';

const req = (set: string, files: string[]): BuildRequest => ({ set, version: 'v1.0.0', files, reason: 'test' });
const script = (cmd: string[] | undefined): string | undefined => cmd?.[0]?.split('/').pop();

describe('buildCommands', () => {
  it('runs each build script once, with --node only for the node’s binaries', () => {
    const cmds = buildCommands([req('kubernetes', ['kube-apiserver']), req('etcd', ['etcd']), req('k6', ['k6'])]);
    expect(cmds.map((c) => [script(c), ...c.slice(1)])).toEqual([['build-binaries.sh'], ['build-k6.sh']]);
    expect(buildCommands([req('cri-tools', ['crictl'])]).map((c) => c.slice(1))).toEqual([['--node']]);
    expect(buildCommands([req('promtool', ['promtool'])]).map(script)).toEqual(['build-promtool.sh']);
  });
});

describe('scriptBuild', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'cncfdemo-build-'));
    await mkdir(join(work, 'path'));
    await writeFile(join(work, 'path', 'go'), '#!/bin/sh\n');
    await chmod(join(work, 'path', 'go'), 0o755);
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('reports one line per binary built and sums up Go’s module downloads', async () => {
    const env = { CNCFDEMO_CACHE: join(work, 'cache'), PATH: join(work, 'path') };
    const dir = setDir(env.CNCFDEMO_CACHE, 'kubernetes', 'v1.0.0');
    const events: InstallEvent[] = [];
    const exec: Exec = async (_command, _args, options) => {
      options?.onOutput?.('building kubernetes v1.0.0 (first time only; this takes a while) ...\n');
      for (let i = 0; i < 120; i++) options?.onOutput?.(`go: downloading example.test/mod${i} v1.0.${i}\n`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'kube-apiserver'), Buffer.alloc(2_500_000));
      // the poller reports the first binary while the build goes on
      while (!events.some((e) => e.kind === 'built')) await new Promise((resolve) => setTimeout(resolve, 10));
      await writeFile(join(dir, 'kubectl'), Buffer.alloc(1_200_000));
      options?.onOutput?.(`built kubernetes v1.0.0 in 3s\n${dir}\n`);
      return { stdout: '', stderr: '' };
    };
    await scriptBuild({ env, exec, pollMs: 20, onProgress: (e) => events.push(e) })([
      req('kubernetes', ['kube-apiserver', 'kubectl']),
    ]);
    expect(events.map(formatInstallEvent)).toEqual([
      'building kubernetes v1.0.0 (first time only; this takes a while) ...',
      'go: 50 modules downloaded so far',
      'go: 100 modules downloaded so far',
      '[1/2] built kube-apiserver v1.0.0 (2.5 MB)',
      'built kubernetes v1.0.0 in 3s',
      '[2/2] built kubectl v1.0.0 (1.2 MB)',
    ]);
  });

  it('says how to get Go when it is missing, without running anything', async () => {
    const calls: string[] = [];
    const exec: Exec = (command) => {
      calls.push(command);
      return Promise.resolve({ stdout: '', stderr: '' });
    };
    const attempt = scriptBuild({ env: { PATH: '/nonexistent' }, exec })([
      { ...req('etcd', ['etcd']), reason: 'no sha256 is pinned for etcd (linux/amd64)' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(
      '1 binaries must be built from source (no sha256 is pinned for etcd (linux/amd64)) and the Go toolchain is not on PATH',
    );
    expect(calls).toEqual([]);
  });
});
