import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors/index.js';
import { exec } from '../../../src/exec/index.js';
import {
  ensureInstalled,
  formatInstallEvent,
  setDir,
  type BuildRequest,
  type InstallEvent,
  type ReleasePins,
} from '../../../src/toolchain/index.js';
import { startReleaseMirror, type ReleaseMirror } from '../../helpers/release-mirror.js';

// The download path against a loopback server laid out like the release sites (CNCFDEMO_RELEASE_MIRROR),
// and the fall-back to building (a fake build: no Go build runs in tests).
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const TOOL = Buffer.from('#!/bin/sh\necho tool v1.0.0\n');
const PACKED = Buffer.from('#!/bin/sh\necho packed v1.0.0\n');
const STAGE = Buffer.from('kind: Stage\n');
const URLS = {
  tool: 'https://dl.example.test/release/v1.0.0/bin/linux/amd64/tool',
  archive: 'https://github.example.test/demo/releases/download/v1.0.0/demo-v1.0.0-linux-amd64.tar.gz',
  stage: 'https://raw.example.test/demo/v1.0.0/stage/one.yaml',
};

let work: string;
let cache: string;
let archive: Buffer;
let mirror: ReleaseMirror | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cncfdemo-toolchain-'));
  cache = join(work, 'cache');
  // a real .tar.gz, as the releases ship it: the binary inside a versioned folder
  await mkdir(join(work, 'src', 'demo-v1.0.0-linux-amd64'), { recursive: true });
  await writeFile(join(work, 'src', 'demo-v1.0.0-linux-amd64', 'packed'), PACKED);
  await exec('tar', ['-czf', join(work, 'demo.tar.gz'), '-C', join(work, 'src'), 'demo-v1.0.0-linux-amd64']);
  archive = await readFile(join(work, 'demo.tar.gz'));
});
afterEach(async () => {
  await mirror?.close();
  mirror = undefined;
  await rm(work, { recursive: true, force: true });
});

function pinsFor(sums: { tool: string; archive: string; stage: string }): ReleasePins {
  return {
    apiVersion: 'cncfdemo.io/v1alpha1',
    kind: 'ReleasePins',
    sets: {
      demo: {
        version: 'v1.0.0',
        source: 'test',
        files: {
          tool: { url: 'https://dl.example.test/release/v1.0.0/bin/linux/{arch}/tool', sha256: { amd64: sums.tool } },
          packed: {
            url: 'https://github.example.test/demo/releases/download/v1.0.0/demo-v1.0.0-linux-{arch}.tar.gz',
            extract: 'demo-v1.0.0-linux-{arch}/packed',
            sha256: { amd64: sums.archive },
          },
          'stages/one.yaml': { url: URLS.stage, sha256: sums.stage },
        },
      },
    },
  };
}
const request = { set: 'demo', version: 'v1.0.0', files: ['tool', 'packed', 'stages'] };

/** A build that records what it was asked and writes what it was asked for. */
function fakeBuild(calls: BuildRequest[][]): (requests: readonly BuildRequest[]) => Promise<void> {
  return async (requests) => {
    calls.push([...requests]);
    for (const r of requests)
      for (const file of r.files) {
        const path = join(setDir(cache, r.set, r.version), file === 'stages' ? 'stages/built.yaml' : file);
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, 'built\n', { mode: 0o755 });
      }
  };
}

async function serveAll(): Promise<ReleaseMirror> {
  mirror = await startReleaseMirror(
    new Map([
      [URLS.tool, TOOL],
      [URLS.archive, archive],
      [URLS.stage, STAGE],
    ]),
  );
  return mirror;
}

describe('installing a pinned set from its release', () => {
  it('downloads, checks and installs each file, one progress line per file, without building', async () => {
    const { url } = await serveAll();
    const events: InstallEvent[] = [];
    const builds: BuildRequest[][] = [];
    const result = await ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      arch: 'amd64',
      build: fakeBuild(builds),
      onProgress: (e) => events.push(e),
    });
    expect(result).toEqual({ downloaded: ['demo'], built: [] });
    expect(builds).toEqual([]);
    const dir = setDir(cache, 'demo', 'v1.0.0');
    expect(await readFile(join(dir, 'tool'))).toEqual(TOOL);
    expect(await readFile(join(dir, 'packed'))).toEqual(PACKED);
    expect(await readFile(join(dir, 'stages', 'one.yaml'))).toEqual(STAGE);
    expect((await stat(join(dir, 'tool'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'packed'))).mode & 0o777).toBe(0o755);
    // nothing but the set's folder is left in the cache: no staging folder, no archive
    expect(await readdir(join(cache, 'bin'))).toEqual(['demo-v1.0.0']);
    expect(await readdir(dir)).toEqual(['packed', 'stages', 'tool']);
    expect(events.map(formatInstallEvent)).toEqual([
      `[1/3] downloaded tool v1.0.0 (${TOOL.length} B, sha256 ok)`,
      `[2/3] downloaded packed v1.0.0 (${PACKED.length} B, sha256 ok)`,
      `[3/3] downloaded stages/one.yaml v1.0.0 (${STAGE.length} B, sha256 ok)`,
    ]);

    // installed: a second run asks the site for nothing
    const asked = mirror?.requests.length;
    await ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      arch: 'amd64',
      build: fakeBuild(builds),
    });
    expect(mirror?.requests.length).toBe(asked);
    expect(builds).toEqual([]);
  });

  it('refuses a file whose sha256 is not its pin, in one line, and leaves nothing behind', async () => {
    const { url } = await serveAll();
    const wrong = sha(Buffer.from('something else'));
    const builds: BuildRequest[][] = [];
    const attempt = ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
      // the first two files are good: the set must still not be installed in part
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: wrong }),
      arch: 'amd64',
      build: fakeBuild(builds),
    });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    const err = (await attempt.catch((e: unknown) => e)) as UserError;
    expect(err.message).toBe(
      `refusing stages/one.yaml v1.0.0: sha256 ${sha(STAGE)} is not the pinned ${wrong} (data/releases.yaml); nothing was installed`,
    );
    expect(err.message).not.toContain('\n');
    expect(builds).toEqual([]);
    expect(await readdir(join(cache, 'bin'))).toEqual([]);
  });

  it('refuses a tampered archive before unpacking it', async () => {
    const { url } = await serveAll();
    const attempt = ensureInstalled([{ ...request, files: ['packed'] }], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(Buffer.concat([archive, Buffer.from('x')])), stage: sha(STAGE) }),
      arch: 'amd64',
      build: fakeBuild([]),
    });
    await expect(attempt).rejects.toThrow(/^refusing packed v1\.0\.0: sha256 [0-9a-f]{64} is not the pinned/);
    expect(await readdir(join(cache, 'bin'))).toEqual([]);
  });
});

describe('falling back to building', () => {
  it('builds a set whose site refuses connections, saying why', async () => {
    // a port nothing listens on: bind one, note it, close it
    const closed = await startReleaseMirror(new Map());
    await closed.close();
    const events: InstallEvent[] = [];
    const builds: BuildRequest[][] = [];
    const result = await ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: closed.url },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      arch: 'amd64',
      build: fakeBuild(builds),
      onProgress: (e) => events.push(e),
    });
    expect(result).toEqual({ downloaded: [], built: ['demo'] });
    expect(builds).toHaveLength(1);
    expect(builds[0]?.[0]).toMatchObject({ set: 'demo', files: ['tool', 'packed', 'stages'] });
    expect(builds[0]?.[0]?.reason).toMatch(/^cannot download it \(http:\/\/127\.0\.0\.1:\d+\/.*: ECONNREFUSED\)$/);
    expect(events.map(formatInstallEvent)).toEqual([
      `building demo v1.0.0 from source: ${builds[0]?.[0]?.reason ?? ''}`,
    ]);
    expect(await readdir(join(cache, 'bin'))).toEqual(['demo-v1.0.0']);
  });

  it('builds a set the mirror lacks (HTTP 404) and still downloads the others', async () => {
    const { url } = await serveAll();
    const pins = pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) });
    const missingSet = { version: 'v2.0.0', source: 'test', files: { other: { url: 'https://dl.example.test/other', sha256: sha(TOOL) } } };
    const builds: BuildRequest[][] = [];
    const result = await ensureInstalled(
      [{ set: 'other', version: 'v2.0.0', files: ['other'] }, request],
      {
        env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
        pins: { ...pins, sets: { ...pins.sets, other: missingSet } },
        arch: 'amd64',
        build: fakeBuild(builds),
      },
    );
    expect(result).toEqual({ downloaded: ['demo'], built: ['other'] });
    expect(builds[0]?.[0]?.reason).toMatch(/HTTP 404/);
  });

  it('builds without asking any site with CNCFDEMO_BUILD_FROM_SOURCE=1', async () => {
    const { url } = await serveAll();
    const builds: BuildRequest[][] = [];
    await ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url, CNCFDEMO_BUILD_FROM_SOURCE: '1' },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      arch: 'amd64',
      build: fakeBuild(builds),
    });
    expect(mirror?.requests).toEqual([]);
    expect(builds[0]?.[0]?.reason).toBe('CNCFDEMO_BUILD_FROM_SOURCE=1');
  });

  it('builds what has no sum for this architecture, without asking any site', async () => {
    const { url } = await serveAll();
    const builds: BuildRequest[][] = [];
    await ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: url },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      arch: 'arm64',
      build: fakeBuild(builds),
    });
    expect(mirror?.requests).toEqual([]);
    expect(builds[0]?.[0]?.reason).toBe('no sha256 is pinned for tool (linux/arm64)');
  });

  it('fails when the build leaves a file missing', async () => {
    const attempt = ensureInstalled([request], {
      env: { CNCFDEMO_CACHE: cache, CNCFDEMO_BUILD_FROM_SOURCE: '1' },
      pins: pinsFor({ tool: sha(TOOL), archive: sha(archive), stage: sha(STAGE) }),
      build: () => Promise.resolve(),
    });
    await expect(attempt).rejects.toThrow(/missing from .*: demo-v1\.0\.0\/tool, demo-v1\.0\.0\/packed, demo-v1\.0\.0\/stages/);
  });
});
