import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import {
  ensureImages,
  imageNamed,
  pushImages,
  startLoopbackRegistry,
  type ImageIndex,
  type LoopbackRegistry,
} from '../../../src/images/index.js';

/** The images the real-node tests pull, built from Debian packages and served from a loopback registry. */
export interface TestRegistry {
  registry: LoopbackRegistry;
  index: ImageIndex;
  /** `--registry-mirror` values: docker.io and registry.k8s.io both come from the loopback registry. */
  mirrors: string[];
  /** Image references as a pod names them (through the docker.io mirror). */
  image(name: string): string;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const index = await ensureImages();
  const registry = await startLoopbackRegistry({ dataDir: join(cacheDir(), 'test-registry') });
  await pushImages(registry, index);
  return {
    registry,
    index,
    mirrors: [`docker.io=${registry.url}`, `registry.k8s.io=${registry.url}`],
    image: (name) => `docker.io/${imageNamed(index, name).reference}`,
  };
}

/** `cncfdemo cluster create` of a real-node cluster pulling through the test registry (CLI arguments). */
export function realNodeCreateArgs(name: string, registry: TestRegistry): string[] {
  return [
    'cluster',
    'create',
    '--name',
    name,
    '--real-node',
    ...registry.mirrors.flatMap((m) => ['--registry-mirror', m]),
    '--dns-image',
    registry.image('cncfdemo/coredns'),
  ];
}

/** Sets a sysctl for the test run and returns how to put the old value back. */
export async function setSysctl(key: string, value: string): Promise<() => Promise<void>> {
  const path = `/proc/sys/${key.replace(/\./g, '/')}`;
  const before = (await readFile(path, 'utf8')).trim();
  await writeFile(path, value);
  return () => writeFile(path, before);
}

/**
 * A host of the test's own outside the cluster: a network namespace on this machine, reached from the host
 * by a veth pair in TEST-NET-3, serving HTTP. Without the real node's seal, pods could reach it through the
 * host's routing; with it they must not. Nothing here leaves the machine.
 */
export async function startOutsideHost(): Promise<{ address: string; port: number; stop(): Promise<void> }> {
  const ns = 'cncfdemo-test-outside';
  const run = (cmd: string[]) => exec(cmd[0] ?? '', cmd.slice(1));
  await run(['ip', 'netns', 'del', ns]).catch(() => undefined);
  await run(['ip', 'link', 'del', 'cdt-out-h']).catch(() => undefined);
  await run(['ip', 'netns', 'add', ns]);
  await run(['ip', 'link', 'add', 'cdt-out-h', 'type', 'veth', 'peer', 'name', 'cdt-out-n']);
  await run(['ip', 'link', 'set', 'cdt-out-n', 'netns', ns]);
  await run(['ip', 'addr', 'add', '203.0.113.1/30', 'dev', 'cdt-out-h']);
  await run(['ip', 'link', 'set', 'cdt-out-h', 'up']);
  await run(['ip', '-n', ns, 'addr', 'add', '203.0.113.2/30', 'dev', 'cdt-out-n']);
  await run(['ip', '-n', ns, 'link', 'set', 'cdt-out-n', 'up']);
  await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  const dir = join(cacheDir(), 'test-outside');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.html'), 'outside\n');
  const { spawn } = await import('node:child_process');
  const server = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      'python3',
      '-m',
      'http.server',
      '8000',
      '--bind',
      '203.0.113.2',
      '--directory',
      dir,
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await fetch('http://203.0.113.2:8000/', { signal: AbortSignal.timeout(500) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: '203.0.113.2',
    port: 8000,
    async stop() {
      server.kill('SIGKILL');
      await run(['ip', 'netns', 'del', ns]).catch(() => undefined);
      await run(['ip', 'link', 'del', 'cdt-out-h']).catch(() => undefined);
    },
  };
}
