/**
 * How long the download path of set-up takes for the full set of binaries (control plane, real node, k6,
 * promtool), against a loopback server laid out like the release sites (CNCFDEMO_RELEASE_MIRROR). The files
 * are stand-ins of the releases' sizes (random bytes; archives as .tar.gz like the releases), pinned by their
 * own sums: what is timed is fetching, hashing, unpacking and installing, not the network.
 *
 * Usage: npx tsx bench/toolchain-download.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../src/exec/index.js';
import {
  ensureInstalled,
  formatBytes,
  formatInstallEvent,
  type ReleasePins,
  type SetRequest,
} from '../src/toolchain/index.js';
import { startReleaseMirror } from '../test/helpers/release-mirror.js';

const MB = 1_000_000;
/** Each stand-in: set, version, file, size (the releases' linux/amd64 sizes, rounded), packed or raw. */
const FILES: { set: string; version: string; file: string; mb: number; packed?: boolean }[] = [
  { set: 'kubernetes', version: 'v1.34.12', file: 'kube-apiserver', mb: 98 },
  { set: 'kubernetes', version: 'v1.34.12', file: 'kube-controller-manager', mb: 90 },
  { set: 'kubernetes', version: 'v1.34.12', file: 'kube-scheduler', mb: 70 },
  { set: 'kubernetes', version: 'v1.34.12', file: 'kubectl', mb: 59 },
  { set: 'kubernetes', version: 'v1.34.12', file: 'kubelet', mb: 81 },
  { set: 'kubernetes', version: 'v1.34.12', file: 'kube-proxy', mb: 69 },
  { set: 'etcd', version: 'v3.6.16', file: 'etcd', mb: 26, packed: true },
  { set: 'kwok', version: 'v0.7.0', file: 'kwok', mb: 64 },
  { set: 'kwok', version: 'v0.7.0', file: 'kwokctl', mb: 51 },
  { set: 'cri-tools', version: 'v1.34.0', file: 'crictl', mb: 40, packed: true },
  { set: 'k6', version: 'v1.8.1', file: 'k6', mb: 48, packed: true },
  { set: 'promtool', version: 'v0.305.0', file: 'promtool', mb: 104, packed: true },
];

const sha256 = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('end', () => {
        resolve(hash.digest('hex'));
      })
      .on('error', reject);
  });

const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-bench-download-'));
try {
  const served = new Map<string, { file: string }>();
  const pins: ReleasePins = { apiVersion: 'cncfdemo.io/v1alpha1', kind: 'ReleasePins', sets: {} };
  const requests = new Map<string, SetRequest & { files: string[] }>();
  for (const { set, version, file, mb, packed } of FILES) {
    const raw = join(dir, 'src', `${set}-${file}`, file);
    await mkdir(join(raw, '..'), { recursive: true });
    await writeFile(raw, randomBytes(mb * MB));
    let body = raw;
    if (packed) {
      body = join(dir, `${file}.tar.gz`);
      await exec('tar', ['-czf', body, '-C', join(raw, '..'), file]);
    }
    const url = `https://releases.example.test/${set}/${version}/${file}${packed ? '.tar.gz' : ''}`;
    served.set(url, { file: body });
    const release = (pins.sets[set] ??= { version, source: 'bench', files: {} });
    release.files[file] = { url, sha256: await sha256(body), ...(packed ? { extract: file } : {}) };
    const request = requests.get(set) ?? { set, version, files: [] };
    request.files.push(file);
    requests.set(set, request);
  }
  const mirror = await startReleaseMirror(served);
  const cache = join(dir, 'cache');
  const started = performance.now();
  let bytes = 0;
  await ensureInstalled([...requests.values()], {
    env: { CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: mirror.url },
    pins,
    arch: 'amd64',
    build: () => Promise.reject(new Error('nothing should be built')),
    onProgress: (event) => {
      if (event.kind === 'downloaded') bytes += event.bytes;
      process.stderr.write(`${formatInstallEvent(event)}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await mirror.close();
  console.log(
    `download path: ${FILES.length} binaries, ${formatBytes(bytes)} installed, in ${seconds.toFixed(1)} s from a loopback mirror`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
