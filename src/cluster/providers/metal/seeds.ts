import { stringify } from 'yaml';
import type { NodeArtefacts, NodeRole } from '../../node/render.js';
import type { MetalInventory } from './inventory.js';
import { hostSecrets, type MetalSecrets } from './secrets.js';

/** Where a metal node's script reads its secrets: the operator copies `<host>/secrets/` here. */
export const NODE_SECRETS_PATH = '/etc/cncfdemo/secrets';

/** One file of the seeds, relative to the output directory. */
export interface SeedFile {
  path: string;
  content: string;
  /** 0600 for secrets (in a 0700 directory), 0644 otherwise. */
  secret: boolean;
}

/**
 * Every host's NoCloud seed (`<host>/user-data`, `<host>/meta-data`) and its secrets (`<host>/secrets/`),
 * in inventory order. Pure: the same inventory, artefacts and secrets give the same files.
 */
export function seedFiles(
  inventory: MetalInventory,
  artefacts: Record<NodeRole, NodeArtefacts>,
  secrets: MetalSecrets,
): SeedFile[] {
  const initHost = inventory.hosts.find((h) => h.role === 'master')?.name ?? '';
  return inventory.hosts.flatMap((host) => [
    { path: `${host.name}/user-data`, content: artefacts[host.role].userData, secret: false },
    {
      path: `${host.name}/meta-data`,
      // A stable instance-id: cloud-init runs its once-per-instance modules again only when it changes.
      content: stringify({ 'instance-id': `${inventory.cluster}-${host.name}`, 'local-hostname': host.name }),
      secret: false,
    },
    ...Object.entries(hostSecrets(host.role, initHost, host.name, secrets)).map(([name, value]) => ({
      path: `${host.name}/secrets/${name}`,
      content: value.endsWith('\n') ? value : `${value}\n`,
      secret: true,
    })),
  ]);
}
