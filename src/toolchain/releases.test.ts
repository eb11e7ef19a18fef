import { describe, expect, it } from 'vitest';
import { loadReleasePins, mirrored, planSet, releaseArch, type ReleasePins } from './releases.js';
import { pinnedVersion, TOOLCHAIN_MODULES, type BinarySet } from './versions.js';

const SUM_A = 'a'.repeat(64);
const SUM_B = 'b'.repeat(64);
const pins: ReleasePins = {
  apiVersion: 'cncfdemo.io/v1alpha1',
  kind: 'ReleasePins',
  sets: {
    demo: {
      version: 'v1.0.0',
      source: 'test',
      files: {
        tool: { url: 'https://example.test/v1.0.0/tool-linux-{arch}', sha256: { amd64: SUM_A } },
        packed: {
          url: 'https://example.test/v1.0.0/demo-linux-{arch}.tar.gz',
          extract: 'demo-linux-{arch}/packed',
          sha256: { amd64: SUM_B, arm64: SUM_B },
        },
        'stages/one.yaml': { url: 'https://raw.example.test/one.yaml', sha256: SUM_A },
        'stages/two.yaml': { url: 'https://raw.example.test/two.yaml', sha256: SUM_B },
      },
    },
  },
};
const request = { set: 'demo', version: 'v1.0.0', files: ['tool', 'packed', 'stages'] };

describe('planSet', () => {
  it('downloads every file of a pinned set, a folder standing for the files under it', () => {
    const plan = planSet(pins, request, 'amd64');
    expect(plan).toEqual({
      set: 'demo',
      version: 'v1.0.0',
      source: 'download',
      downloads: [
        { path: 'tool', url: 'https://example.test/v1.0.0/tool-linux-amd64', sha256: SUM_A },
        {
          path: 'packed',
          url: 'https://example.test/v1.0.0/demo-linux-amd64.tar.gz',
          sha256: SUM_B,
          extract: 'demo-linux-amd64/packed',
        },
        { path: 'stages/one.yaml', url: 'https://raw.example.test/one.yaml', sha256: SUM_A },
        { path: 'stages/two.yaml', url: 'https://raw.example.test/two.yaml', sha256: SUM_B },
      ],
    });
  });

  it('builds the whole set when one file it needs has no sum for this architecture', () => {
    expect(planSet(pins, request, 'arm64')).toMatchObject({
      source: 'build',
      reason: 'no sha256 is pinned for tool (linux/arm64)',
    });
    // the files that are pinned for arm64 alone would be downloaded
    expect(planSet(pins, { ...request, files: ['packed', 'stages'] }, 'arm64').source).toBe('download');
  });

  it('builds a set pinned for another version, an unknown set or file, or an unpinned architecture', () => {
    expect(planSet(pins, { ...request, version: 'v1.0.1' }, 'amd64')).toMatchObject({
      source: 'build',
      reason: 'data/releases.yaml pins v1.0.0, the toolchain v1.0.1',
    });
    expect(planSet(pins, { ...request, set: 'other' }, 'amd64').source).toBe('build');
    expect(planSet(pins, { ...request, files: ['nothing'] }, 'amd64').source).toBe('build');
    expect(planSet(pins, request, undefined).source).toBe('build');
  });

  it('fetches through the mirror as MIRROR/HOST/PATH', () => {
    expect(mirrored('https://dl.k8s.io/release/v1/bin/kubectl', 'http://127.0.0.1:9/')).toBe(
      'http://127.0.0.1:9/dl.k8s.io/release/v1/bin/kubectl',
    );
    const plan = planSet(pins, { ...request, files: ['tool'] }, 'amd64', 'http://127.0.0.1:9');
    expect(plan.source === 'download' && plan.downloads[0]?.url).toBe(
      'http://127.0.0.1:9/example.test/v1.0.0/tool-linux-amd64',
    );
  });
});

describe('releaseArch', () => {
  it('names Linux amd64 and arm64 as the releases do, and nothing else', () => {
    expect(releaseArch('linux', 'x64')).toBe('amd64');
    expect(releaseArch('linux', 'arm64')).toBe('arm64');
    expect(releaseArch('darwin', 'arm64')).toBeUndefined();
    expect(releaseArch('linux', 'riscv64')).toBeUndefined();
  });
});

describe('data/releases.yaml', () => {
  it('pins every set at the version its wrapper module pins', async () => {
    const shipped = await loadReleasePins();
    const sets = Object.keys(TOOLCHAIN_MODULES) as BinarySet[];
    expect(Object.keys(shipped.sets).sort()).toEqual([...sets].sort());
    for (const set of sets) expect(shipped.sets[set]?.version, set).toBe(await pinnedVersion(set));
  });

  it('downloads only what has a published sum: crictl and promtool; the rest is built', async () => {
    const shipped = await loadReleasePins();
    const source = async (set: BinarySet, files: string[]): Promise<string> =>
      planSet(shipped, { set, version: await pinnedVersion(set), files }, 'amd64').source;
    expect(await source('cri-tools', ['crictl'])).toBe('download');
    expect(await source('promtool', ['promtool'])).toBe('download');
    expect(await source('kubernetes', ['kube-apiserver'])).toBe('build');
    expect(await source('kwok', ['kwok', 'kwokctl', 'stages'])).toBe('build');
    expect(await source('metrics-server', ['metrics-server'])).toBe('build');
  });
});
