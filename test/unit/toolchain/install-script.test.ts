import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinnedVersions } from '../../../src/cluster/providers/local/toolchain.js';
import { packageRoot } from '../../../src/config/paths.js';
import { loadReleasePins, releaseArch } from '../../../src/toolchain/index.js';
import { startReleaseMirror, type ReleaseMirror } from '../../helpers/release-mirror.js';

// Set-up's entry (scripts/install-binaries.ts, what scripts/setup.sh runs) with the shipped pins: a
// promtool archive that is not the published one is refused in one line, and nothing is installed.
let cache: string;
let mirror: ReleaseMirror | undefined;
beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'cncfdemo-setup-'));
  // the control plane counts as installed (set-up installs it first; only its presence is looked at)
  const v = await pinnedVersions();
  const present: [string, string[]][] = [
    [`kubernetes-${v.kubernetes}`, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']],
    [`etcd-${v.etcd}`, ['etcd']],
    [`kwok-${v.kwok}`, ['kwok', 'kwokctl']],
    [`metrics-server-${v.metricsServer}`, ['metrics-server']],
  ];
  for (const [dir, files] of present) {
    await mkdir(join(cache, 'bin', dir, dir.startsWith('kwok') ? 'stages' : ''), { recursive: true });
    for (const f of files) await writeFile(join(cache, 'bin', dir, f), '', { mode: 0o755 });
  }
});
/** Runs the script asynchronously: the loopback mirror answers from this process. */
function runScript(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    join(packageRoot, 'node_modules', '.bin', 'tsx'),
    [join(packageRoot, 'scripts', 'install-binaries.ts'), ...args],
    { env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (status) => { resolve({ status, stdout, stderr }); }));
}

afterEach(async () => {
  await mirror?.close();
  await rm(cache, { recursive: true, force: true });
});

describe.runIf(releaseArch() !== undefined)('scripts/install-binaries.ts', () => {
  it('refuses a download whose sha256 is not the pinned one with one line, exit 1, nothing installed', async () => {
    const arch = releaseArch() ?? 'amd64';
    const promtool = (await loadReleasePins()).sets.promtool?.files.promtool;
    const url = promtool?.url.replaceAll('{arch}', arch) ?? '';
    mirror = await startReleaseMirror(new Map([[url, Buffer.from('not the Prometheus release')]]));
    // Without Go on PATH: a fall-back to building would fail at once instead of running a real build.
    const path = (process.env.PATH ?? '').split(':').filter((d) => !d.includes('go')).join(':');
    const run = await runScript(['--promtool'], { PATH: path, CNCFDEMO_CACHE: cache, CNCFDEMO_RELEASE_MIRROR: mirror.url });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const expected = typeof promtool?.sha256 === 'string' ? promtool.sha256 : promtool?.sha256[arch];
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: refusing promtool v0\\.305\\.0: sha256 [0-9a-f]{64} is not the pinned ${expected ?? ''} \\(data/releases\\.yaml\\); nothing was installed\\n$`,
      ),
    );
    expect(mirror.requests).toEqual([`/${url.replace('https://', '')}`]);
    expect((await readdir(join(cache, 'bin'))).filter((d) => !/^(kubernetes|etcd|kwok|metrics-server)-/.test(d))).toEqual(
      [],
    );
  }, 30_000);
});
