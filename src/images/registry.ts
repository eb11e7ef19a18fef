import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { httpOk, startDaemon } from '../bench/local/daemon.js';
import { freePort } from '../net/ports.js';
import { UserError } from '../errors/index.js';
import { which } from '../exec/index.js';

export interface LoopbackRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, as image references and containerd's hosts.toml name it. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface LoopbackRegistryOptions {
  /** Holds the generated config (config.yml) and the registry's storage (storage/). */
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  /** How long to wait for `/v2/` to answer (default 30 s). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts Debian's docker-registry (distribution/registry) on 127.0.0.1 only: plain HTTP, no auth, storage
 * under `dataDir`, ready once `/v2/` answers. Its config is generated here, and REGISTRY_* variables (which
 * would override it) are not passed on.
 */
export async function startLoopbackRegistry(options: LoopbackRegistryOptions): Promise<LoopbackRegistry> {
  const env = options.env ?? process.env;
  const binary = await which('docker-registry', env.PATH);
  if (!binary)
    throw new UserError(
      'docker-registry is not installed (the loopback image registry)',
      'apt-get install docker-registry',
    );
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  await mkdir(join(dataDir, 'storage'), { recursive: true });
  const config = join(dataDir, 'config.yml');
  await writeFile(config, stringify(registryConfig(join(dataDir, 'storage'), host)));
  const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const url = `http://${host}`;
  const daemon = await startDaemon({
    name: 'docker-registry',
    command: binary,
    args: ['serve', config],
    env: childEnv,
    ready: () => httpOk(`${url}/v2/`),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  return { url, host, port, stop: () => daemon.stop() };
}

/** distribution's configuration: loopback, no TLS, no auth, no debug listener, filesystem storage. */
export function registryConfig(storage: string, host: string): Record<string, unknown> {
  return {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true }, fields: { service: 'registry' } },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      cache: { blobdescriptor: 'inmemory' },
    },
    http: { addr: host, headers: { 'X-Content-Type-Options': ['nosniff'] } },
    health: { storagedriver: { enabled: false } },
  };
}
