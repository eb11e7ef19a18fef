import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/index.js';
import {
  ensureImages,
  imageNamed,
  pushImages,
  startLoopbackRegistry,
  type ImageIndex,
  type LoopbackRegistry,
} from '../../src/images/index.js';
import { runIngestServer, startPrivateContainerd, type PrivateContainerd } from '../helpers/containerd.js';

/**
 * The real pull path: images built from Debian packages (or the cache), pushed to Debian's docker-registry on
 * loopback, pulled by a containerd of this test's own through hosts.toml mirrors of docker.io and
 * registry.k8s.io, and run by runc.
 */
describe('images: build -> loopback registry -> containerd -> runc', () => {
  let index: ImageIndex;
  let registry: LoopbackRegistry;
  let containerd: PrivateContainerd;
  // What beforeAll started, stopped in reverse order (also when it failed half way).
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    index = await ensureImages({ keys: ['busybox', 'ingest-server', 'pause'] });
    const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-images-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    registry = await startLoopbackRegistry({ dataDir: join(dir, 'registry') });
    cleanups.push(() => registry.stop());
    containerd = await startPrivateContainerd(join(dir, 'containerd'), {
      'docker.io': registry.host,
      'registry.k8s.io': registry.host,
    });
    cleanups.push(() => containerd.stop());
  }, 1_200_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves the registry on loopback only', () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.host).toBe(registry.url.slice('http://'.length));
  });

  it('pushes every image once; a second push sends nothing', async () => {
    const first = await pushImages(registry, index);
    expect(first.pushed.sort()).toEqual(
      Object.values(index.images)
        .map((i) => i.reference)
        .sort(),
    );
    expect(first.bytesSent).toBeGreaterThan(0);
    const again = await pushImages(registry, index);
    expect(again).toEqual({ pushed: [], present: first.pushed.sort(), bytesSent: 0 });
    const catalog = (await (await fetch(`${registry.url}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual(expect.arrayContaining(['cncfdemo/busybox', 'pause']));
  });

  it('pulls busybox through the docker.io mirror and runs it', async () => {
    const busybox = imageNamed(index, 'cncfdemo/busybox');
    const ref = `docker.io/${busybox.reference}`;
    await containerd.pull(ref);
    const { stdout: images } = await containerd.ctr(['images', 'ls', '-q']);
    expect(images.split('\n')).toContain(ref);
    const { stdout } = await containerd.run([
      '--rm',
      ref,
      'busybox-1',
      'sh',
      '-c',
      'echo "uid=$(id -u)"; ls /bin/nslookup /bin/wget; readlink /bin/wget; busybox | head -1',
    ]);
    expect(stdout).toContain('uid=0');
    expect(stdout).toContain('/bin/nslookup\n/bin/wget\nbusybox\n');
    expect(stdout).toMatch(/BusyBox v1\.\d+/);
  });

  it('pulls pause through the registry.k8s.io mirror, and it stops on SIGTERM', async () => {
    const ref = `registry.k8s.io/${imageNamed(index, 'pause').reference}`;
    expect(ref).toBe('registry.k8s.io/pause:3.10');
    await containerd.pull(ref);
    await containerd.run(['-d', ref, 'pause-1']);
    await containerd.ctr(['tasks', 'kill', '-s', 'SIGTERM', 'pause-1']);
    await waitStopped(containerd, 'pause-1');
    await containerd.ctr(['containers', 'rm', 'pause-1']);
  });

  it('runs the ingest server image: /i answers 200, and SIGTERM stops it', async () => {
    const ref = `docker.io/${imageNamed(index, 'cncfdemo/ingest-server').reference}`;
    await containerd.pull(ref);
    // Host network, bound to loopback only.
    const url = await runIngestServer(containerd, ref, 'ingest-1');
    const response = await fetch(`${url}/i?app_key=a&device_id=b`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: 'Success' });
    expect((await fetch(`${url}/i?app_key=a`)).status).toBe(400);
    await containerd.ctr(['tasks', 'kill', '-s', 'SIGTERM', 'ingest-1']);
    await waitStopped(containerd, 'ingest-1');
    await containerd.ctr(['containers', 'rm', 'ingest-1']);
  });
});

/** Polls until the task is STOPPED (within 10 s: a process that ignores SIGTERM fails the test). */
async function waitStopped(containerd: PrivateContainerd, id: string): Promise<void> {
  await until(
    async () =>
      (await containerd.ctr(['tasks', 'ls'])).stdout.match(new RegExp(`^${id}\\s+\\d+\\s+STOPPED`, 'm')) !==
      null,
    10_000,
  );
  await containerd.ctr(['tasks', 'delete', id]);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How each image's own entrypoint shows it runs: its version flag and what the output must say. */
const VERSION_CHECKS: Record<string, { args: string[]; expect: RegExp }> = {
  'cncfdemo/prometheus': { args: ['--version'], expect: /prometheus, version v0\.305\.0/ },
  'cncfdemo/pushgateway': { args: ['--version'], expect: /pushgateway, version 1\./ },
  'cncfdemo/node-exporter': { args: ['--version'], expect: /node_exporter, version 1\./ },
  'cncfdemo/wrk': { args: ['--version'], expect: /wrk (debian\/)?4\.\d+\.\d+/ },
  'cncfdemo/boinc-client': { args: ['--version'], expect: /^7\.\d+\.\d+/m },
  'cncfdemo/coredns': { args: ['-version'], expect: /CoreDNS-1\.\d+\.\d+/ },
  'cncfdemo/kube-state-metrics': { args: ['--version'], expect: /kube-state-metrics/ },
};

/**
 * Every other image, as built for the real node (set-up builds them all): pulled through the mirror and
 * started with its own entrypoint and user, as a kubelet would.
 */
describe('images: every image starts from the loopback registry', () => {
  let index: ImageIndex;
  let containerd: PrivateContainerd;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    index = await ensureImages({
      keys: Object.keys(VERSION_CHECKS).map((name) => name.split('/')[1] ?? name),
    });
    const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-images-all-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const registry = await startLoopbackRegistry({ dataDir: join(dir, 'registry') });
    cleanups.push(() => registry.stop());
    await pushImages(registry, index);
    containerd = await startPrivateContainerd(join(dir, 'containerd'), { 'docker.io': registry.host });
    cleanups.push(() => containerd.stop());
  }, 3_600_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each(Object.entries(VERSION_CHECKS))('%s runs its entrypoint', async (name, check) => {
    const image = imageNamed(index, name);
    const ref = `docker.io/${image.reference}`;
    await containerd.pull(ref);
    const id = name.replace('/', '-');
    // Some tools exit non-zero after printing their version (wrk): the output is what counts.
    let output: string;
    try {
      // ctr replaces the whole command with its arguments, so name the image's own entrypoint first.
      const r = await containerd.run(['--rm', ref, id, ...(await entrypointOf(image)), ...check.args]);
      output = r.stdout + r.stderr;
    } catch (err) {
      if (!(err instanceof RunError)) throw err;
      output = err.output;
    }
    expect(output).toMatch(check.expect);
  });
});

/** The entrypoint in an image's config, read from its OCI layout. */
async function entrypointOf(image: { layout: string; digest: string }): Promise<string[]> {
  const blob = async (digest: string): Promise<unknown> =>
    JSON.parse(await readFile(join(image.layout, 'blobs', ...digest.split(':')), 'utf8')) as unknown;
  const manifest = (await blob(image.digest)) as { config: { digest: string } };
  const config = (await blob(manifest.config.digest)) as { config?: { Entrypoint?: string[] } };
  return config.config?.Entrypoint ?? [];
}
