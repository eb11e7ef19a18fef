import { join } from 'node:path';
import { cacheDir } from '../config/paths.js';
import {
  ensureImages,
  imageNamed,
  pushImages,
  startLoopbackRegistry,
  type LoopbackRegistry,
} from '../images/index.js';

export interface ServeImagesOptions {
  /** Loopback port of the registry (default: a free one). */
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ServedImages {
  registry: LoopbackRegistry;
  /** `cluster create --real-node` flags that make the node pull through this registry. */
  mirrorFlags: string[];
  /** The images served, as pods name them (docker.io/cncfdemo/...). */
  images: string[];
  /** The cluster DNS image among them, for `cluster create --dns-image`. */
  dnsImage: string | undefined;
}

/**
 * The images a real node runs without registry access: built from Debian packages and pinned Go modules
 * when missing (scripts/build-images.sh, root), then served by a registry on 127.0.0.1 that the node's
 * containerd uses as the mirror of docker.io and registry.k8s.io. Its storage is kept in the cache, so a
 * second serve pushes nothing. The caller stops the registry.
 */
export async function serveImages(options: ServeImagesOptions = {}): Promise<ServedImages> {
  const env = options.env ?? process.env;
  const index = await ensureImages({ env });
  const registry = await startLoopbackRegistry({
    dataDir: join(cacheDir(env), 'registry'),
    ...(options.port === undefined ? {} : { port: options.port }),
    env,
  });
  try {
    await pushImages(registry, index);
  } catch (err) {
    await registry.stop();
    throw err;
  }
  const images = Object.keys(index.images).map((name) => `docker.io/${imageNamed(index, name).reference}`);
  return {
    registry,
    images,
    dnsImage: images.find((i) => i.startsWith('docker.io/cncfdemo/coredns:')),
    mirrorFlags: ['docker.io', 'registry.k8s.io'].map((r) => `--registry-mirror ${r}=${registry.url}`),
  };
}
