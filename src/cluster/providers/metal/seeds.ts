import { isIPv6 } from 'node:net';
import { stringify } from 'yaml';
import type { NodeArtefacts } from '../../node/render.js';
import type { MetalHost, MetalInventory, MetalNetwork } from './inventory.js';
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
 * Every host's NoCloud seed (`<host>/user-data`, `<host>/meta-data`, `<host>/network-config` with a static
 * address when the inventory has `network` and the host a `mac`) and its secrets (`<host>/secrets/`),
 * in inventory order. `artefacts` are each host's, by host name (its inventory address is in its node
 * script). Pure: the same inventory, artefacts and secrets give the same files.
 */
export function seedFiles(
  inventory: MetalInventory,
  artefacts: Readonly<Record<string, NodeArtefacts>>,
  secrets: MetalSecrets,
): SeedFile[] {
  const initHost = inventory.hosts.find((h) => h.role === 'master')?.name ?? '';
  return inventory.hosts.flatMap((host) => [
    { path: `${host.name}/user-data`, content: userDataOf(artefacts, host), secret: false },
    {
      path: `${host.name}/meta-data`,
      // A stable instance-id: cloud-init runs its once-per-instance modules again only when it changes.
      content: forCloudInit({
        'instance-id': `${inventory.cluster}-${host.name}`,
        'local-hostname': host.name,
      }),
      secret: false,
    },
    ...(inventory.network && host.mac
      ? [
          {
            path: `${host.name}/network-config`,
            content: networkConfig(host, inventory.network),
            secret: false,
          },
        ]
      : []),
    ...Object.entries(hostSecrets(host.role, initHost, host.name, secrets)).map(([name, value]) => ({
      path: `${host.name}/secrets/${name}`,
      content: value.endsWith('\n') ? value : `${value}\n`,
      secret: true,
    })),
  ]);
}

function userDataOf(artefacts: Readonly<Record<string, NodeArtefacts>>, host: MetalHost): string {
  const mine = artefacts[host.name];
  if (mine?.role !== host.role) throw new Error(`no ${host.role} artefacts rendered for host ${host.name}`);
  return mine.userData;
}

/**
 * NoCloud's network-config (version 2): the inventory's address on the interface with the host's MAC, the
 * default route through the gateway, the name servers. Only for hosts with a `mac` (nothing else names the
 * interface reliably); the others keep DHCP.
 */
function networkConfig(host: MetalHost, network: MetalNetwork): string {
  const gateway = network.gateway;
  return forCloudInit({
    version: 2,
    ethernets: {
      primary: {
        match: { macaddress: host.mac?.toLowerCase() },
        addresses: [`${host.address}/${String(network.prefixLength)}`],
        ...(gateway ? { routes: [{ to: isIPv6(gateway) ? '::/0' : '0.0.0.0/0', via: gateway }] } : {}),
        ...(network.nameservers?.length ? { nameservers: { addresses: network.nameservers } } : {}),
      },
    },
  });
}

/**
 * YAML for cloud-init, which reads YAML 1.1 (PyYAML): every string is quoted, or a MAC such as
 * 52:54:00:00:00:11 would read as a base-60 number and a host named 0123 as an integer.
 */
const forCloudInit = (doc: unknown): string =>
  stringify(doc, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
