/**
 * `bootstrap metal`: the cluster's name and machines come from an inventory file; the metal provider
 * renders each machine's NoCloud seed and secrets (see src/cluster/providers/metal/).
 */
import { resolve } from 'node:path';
import { homeDir } from '../config/paths.js';
import { readInventory, type MetalHost } from '../cluster/providers/metal/inventory.js';
import { defaultSeedsDir } from '../cluster/providers/metal/provider.js';
import { createCluster, type ClusterApiOptions, type ClusterInfo } from './cluster.js';

export interface BootstrapMetalOptions extends Omit<ClusterApiOptions, 'provider'> {
  /** The MetalInventory file. */
  inventory: string;
  /** Where the seeds go (default `<home>/clusters/<name>/metal/`). */
  out?: string;
}

export interface MetalBootstrap {
  info: ClusterInfo;
  /** The seeds' directory: `<out>/<host>/{user-data,meta-data,secrets/}`. */
  out: string;
  hosts: MetalHost[];
}

/** Renders every inventory host's seed (converging: the same inventory writes the same files) and records the cluster. */
export async function bootstrapMetal(options: BootstrapMetalOptions): Promise<MetalBootstrap> {
  const { inventory: file, out: outDir, ...apiOptions } = options;
  const inventory = await readInventory(file);
  const name = inventory.cluster;
  const out = resolve(outDir ?? defaultSeedsDir(homeDir(options.env ?? process.env, options.home), name));
  const info = await createCluster({
    ...apiOptions,
    name,
    nodes: inventory.hosts.filter((h) => h.role === 'minion').length,
    masters: inventory.hosts.filter((h) => h.role === 'master').length,
    provider: 'metal',
    providerOptions: { inventory: resolve(file), out },
  });
  return { info, out, hosts: inventory.hosts };
}
