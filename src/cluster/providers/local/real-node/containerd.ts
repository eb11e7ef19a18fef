import { readFile } from 'node:fs/promises';
import { stringify as toToml } from 'smol-toml';
import type { RegistryMirror } from '../../../types.js';
import { REAL_NODE_NETWORK as NET, type RealNodePaths } from './layout.js';

/** The pod sandbox ("pause") image kubelet 1.34 expects; served by a registry mirror where none is reachable. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
/** Debian's CNI plugins (containernetworking-plugins). */
export const CNI_BIN_DIR = '/usr/lib/cni';

/** What this host allows even root. */
export interface HostLimits {
  canLowerOomScore: boolean;
}

const CAP_SYS_RESOURCE = 24n;

/** Reads the capabilities this process has (CapEff in /proc/self/status). */
export async function hostLimits(status = '/proc/self/status'): Promise<HostLimits> {
  const text = await readFile(status, 'utf8').catch(() => '');
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(text)?.[1];
  if (!capEff) return { canLowerOomScore: true };
  return { canLowerOomScore: ((BigInt(`0x${capEff}`) >> CAP_SYS_RESOURCE) & 1n) === 1n };
}

/**
 * containerd's configuration for the real node: its own root, state and socket under the cluster's
 * directory (never the system-wide ones), no TCP listeners, network namespaces under its state dir, the
 * cgroupfs driver (no systemd here), Debian's CNI plugins with the cluster's own CNI config dir, and
 * registry hosts from the mirrors.
 */
export function containerdConfig(
  paths: RealNodePaths,
  host: HostLimits = { canLowerOomScore: true },
): string {
  const cri = {
    // Without CAP_SYS_RESOURCE (some VMs and sandboxes drop it, even for root) runc cannot lower a
    // container's oom_score_adj and every pod fails to start; containerd then keeps it at its own.
    restrict_oom_score_adj: !host.canLowerOomScore,
    sandbox_image: SANDBOX_IMAGE,
    stream_server_address: '127.0.0.1',
    stream_server_port: '0',
    netns_mounts_under_state_dir: true,
    enable_selinux: false,
    disable_hugetlb_controller: true,
    containerd: {
      snapshotter: 'overlayfs',
      default_runtime_name: 'runc',
      runtimes: {
        runc: {
          runtime_type: 'io.containerd.runc.v2',
          options: { SystemdCgroup: false, Root: `${paths.containerdState}/runc` },
        },
      },
    },
    cni: { bin_dir: CNI_BIN_DIR, conf_dir: paths.cniConfDir, max_conf_num: 1 },
    registry: { config_path: paths.registryHosts },
  };
  return toToml({
    version: 2,
    root: paths.containerdRoot,
    state: paths.containerdState,
    grpc: { address: paths.containerdSocket },
    ttrpc: { address: `${paths.containerdSocket}.ttrpc` },
    metrics: { address: '' },
    debug: { address: '', level: 'info' },
    disabled_plugins: [
      'io.containerd.snapshotter.v1.aufs',
      'io.containerd.snapshotter.v1.btrfs',
      'io.containerd.snapshotter.v1.devmapper',
      'io.containerd.snapshotter.v1.zfs',
      'io.containerd.tracing.processor.v1.otlp',
      'io.containerd.internal.v1.tracing',
    ],
    plugins: {
      'io.containerd.grpc.v1.cri': cri,
      'io.containerd.internal.v1.opt': { path: `${paths.containerdRoot}/opt` },
    },
  });
}

/**
 * containerd's hosts.toml for one mirrored registry. The mirror is also the `server`, so a pull never
 * falls back to the upstream registry: on a machine without registry access that fallback would try to
 * leave the machine, and a missing image should fail at once, naming the mirror.
 */
export function registryHostsToml(mirror: RegistryMirror): string {
  return toToml({
    server: mirror.endpoint,
    host: { [mirror.endpoint]: { capabilities: ['pull', 'resolve'] } },
  });
}

/** The CNI network of the real node: a bridge with host-local addresses, no IP masquerade. */
export function cniConfig(paths: RealNodePaths): string {
  return `${JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'cncfdemo',
      plugins: [
        {
          type: 'bridge',
          bridge: NET.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: paths.cniIpamDir,
            ranges: [[{ subnet: NET.nodePodSubnet, gateway: NET.bridgeAddress }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}
