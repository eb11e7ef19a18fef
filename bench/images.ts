/**
 * What the container images cost: per image its compressed size and layers, its build time cold (as the
 * last real build recorded it, or measured now with --cold) and warm (a re-run of scripts/build-images.sh
 * on the cache), the push to a loopback registry, and the pull of each through a private containerd's
 * docker.io/registry.k8s.io mirror, plus starting busybox and the ingest server from it.
 *
 * Usage: npx tsx bench/images.ts [--cold]   (root; --cold builds into a fresh images cache, downloads included)
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheDir } from '../src/config/paths.js';
import {
  ensureImages,
  imageNamed,
  pushImages,
  startLoopbackRegistry,
  type ImageIndex,
} from '../src/images/index.js';
import { runIngestServer, startPrivateContainerd } from '../test/helpers/containerd.js';

const { values } = parseArgs({ options: { cold: { type: 'boolean', default: false } } });
const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);
const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-bench-images-'));
try {
  let env = process.env;
  if (values.cold) {
    // A fresh images cache (and .deb cache) that shares the Go binaries already built.
    const cache = join(dir, 'cache');
    await mkdir(cache);
    await symlink(join(cacheDir(), 'bin'), join(cache, 'bin'));
    env = { ...process.env, CNCFDEMO_CACHE: cache };
  }
  const cold = values.cold ? await timedBuild(env) : undefined;
  const warm = await timedBuild(env);
  const index = warm.index;

  const registry = await startLoopbackRegistry({ dataDir: join(dir, 'registry') });
  const containerd = await startPrivateContainerd(join(dir, 'containerd'), {
    'docker.io': registry.host,
    'registry.k8s.io': registry.host,
  });
  try {
    let t = performance.now();
    const pushed = await pushImages(registry, index);
    const pushSeconds = seconds(t);
    const pulls: Record<string, string> = {};
    for (const image of Object.values(index.images)) {
      const ref = `${image.name === 'pause' ? 'registry.k8s.io' : 'docker.io'}/${image.reference}`;
      t = performance.now();
      await containerd.pull(ref);
      pulls[image.name] = seconds(t);
    }

    console.log(
      'image                          tag                   size MB  layers  cold s  warm s  pull s',
    );
    for (const image of Object.values(index.images).sort((a, b) => a.name.localeCompare(b.name))) {
      const coldSeconds = cold?.perImage[image.name] ?? `${image.buildSeconds}*`;
      console.log(
        [
          image.name.padEnd(30),
          image.tag.padEnd(20),
          (image.size / 1e6).toFixed(1).padStart(8),
          String(image.layers.length).padStart(7),
          coldSeconds.padStart(7),
          (warm.perImage[image.name] ?? '?').padStart(7),
          (pulls[image.name] ?? '?').padStart(7),
        ].join(' '),
      );
    }
    if (!cold) console.log('* cold: the build time the cache recorded when the image was built');
    const unique = new Map(
      Object.values(index.images).flatMap((i) => i.layers.map((l) => [l.digest, l.size])),
    );
    const total = [...unique.values()].reduce((n, s) => n + s, 0);
    console.log(`layers: ${unique.size} distinct, ${(total / 1e6).toFixed(1)} MB (shared base counted once)`);
    console.log(
      `build: ${cold ? `cold ${cold.total} s, ` : ''}warm ${warm.total} s for ${Object.keys(index.images).length} images`,
    );
    console.log(
      `push: ${pushSeconds} s, ${(pushed.bytesSent / 1e6).toFixed(1)} MB sent for ${pushed.pushed.length} images`,
    );

    t = performance.now();
    await containerd.run([
      '--rm',
      `docker.io/${imageNamed(index, 'cncfdemo/busybox').reference}`,
      'bench-busybox',
      'true',
    ]);
    console.log(`run busybox (true): ${seconds(t)} s`);
    t = performance.now();
    await runIngestServer(
      containerd,
      `docker.io/${imageNamed(index, 'cncfdemo/ingest-server').reference}`,
      'bench-ingest',
    );
    console.log(`run ingest-server until /healthz answers: ${seconds(t)} s`);
  } finally {
    await containerd.stop();
    await registry.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** Runs the build and times each image by when its progress line arrives (each line ends that image). */
async function timedBuild(
  env: NodeJS.ProcessEnv,
): Promise<{ index: ImageIndex; total: string; perImage: Record<string, string> }> {
  const perImage: Record<string, string> = {};
  const start = performance.now();
  let last = start;
  let buffered = '';
  const index = await ensureImages({
    env,
    onOutput: (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const done = /^image ([^:\s]+)(?::\S+)?: (built|cached)/.exec(line);
        if (!done?.[1]) continue;
        perImage[done[1]] = ((performance.now() - last) / 1000).toFixed(1);
        last = performance.now();
      }
    },
  });
  return { index, total: seconds(start), perImage };
}
