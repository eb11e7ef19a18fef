import { join } from 'node:path';
import { LOCAL_REAL_NODE_LABEL } from '../../../../kube/index.js';

/**
 * The real node's addresses and names: one home for each. Everything lives in 198.18.0.0/15 (RFC 2544's
 * benchmarking range), on a bridge that exists only on this machine; nothing in it is routed anywhere else.
 */
export const REAL_NODE_NETWORK = {
  /** The whole sealed range: pods and Services. */
  sealedCidr: '198.18.0.0/15',
  /** Pod addresses of the cluster (the controller-manager's --cluster-cidr, kube-proxy's clusterCIDR). */
  podCidr: '198.18.0.0/16',
  /** The real node's pod subnet, on the bridge. */
  nodePodSubnet: '198.18.0.0/24',
  /** The bridge's own address: the pods' gateway, the node's InternalIP, where kubelet and the API server listen for pods. */
  bridgeAddress: '198.18.0.1',
  bridgePrefix: 24,
  /** Service ClusterIPs. */
  serviceCidr: '198.19.0.0/16',
  /** The `kubernetes` Service (first address of the Service range): the API server's certificate names it. */
  apiServiceAddress: '198.19.0.1',
  /** The cluster DNS Service (kube-dns) at a fixed ClusterIP, as kubeadm does. */
  dnsServiceAddress: '198.19.0.10',
  clusterDomain: 'cluster.local',
  /** One bridge per machine: a real-node cluster is the only one of its kind on a machine. */
  bridge: 'cncfdemo0',
  /** Policy-routing table for traffic from the sealed range (see network.ts). */
  routeTable: 1918,
  routeRulePriority: 1918,
} as const;

/**
 * Names the cluster directory that has this machine as its real node, whichever cncfdemo home it is in:
 * the bridge, addresses and firewall chains are machine-wide, so one real node per machine.
 */
export const REAL_NODE_MARKER = '/run/cncfdemo/real-node.json';

/** iptables chains cncfdemo owns (filter table), jumped to from the built-in chains. */
export const FIREWALL_CHAINS = {
  forward: 'CNCFDEMO-FORWARD',
  output: 'CNCFDEMO-OUTPUT',
  input: 'CNCFDEMO-INPUT',
} as const;

/** Marks pods, nodes and taints the real node adds; simulated nodes carry the taint when a real node exists. */
export const SIMULATED_NODE_TAINT = {
  key: 'kwok.x-k8s.io/node',
  value: 'fake',
  effect: 'NoSchedule',
} as const;
export const REAL_NODE_LABEL = LOCAL_REAL_NODE_LABEL.key;

/** Where a real node's state lives inside its cluster's directory. */
export function realNodePaths(clusterDir: string) {
  const root = join(clusterDir, 'node');
  const containerd = join(root, 'containerd');
  return {
    root,
    /** Recorded at create: the node's name, ports and registry mirrors (read by start, stop and delete). */
    record: join(root, 'node.json'),
    pids: join(clusterDir, 'pids'),
    logs: join(clusterDir, 'logs'),
    pki: join(clusterDir, 'pki'),
    containerdConfig: join(containerd, 'config.toml'),
    containerdRoot: join(containerd, 'root'),
    containerdState: join(containerd, 'state'),
    containerdSocket: join(containerd, 'containerd.sock'),
    registryHosts: join(containerd, 'certs.d'),
    cniConfDir: join(root, 'cni', 'net.d'),
    cniIpamDir: join(root, 'cni', 'ipam'),
    kubeletRoot: join(root, 'kubelet'),
    kubeletConfig: join(root, 'kubelet-config.yaml'),
    kubeletKubeconfig: join(root, 'kubelet.kubeconfig'),
    podLogs: join(root, 'pod-logs'),
    resolvConf: join(root, 'resolv.conf'),
    proxyConfig: join(root, 'kube-proxy-config.yaml'),
    proxyKubeconfig: join(root, 'kube-proxy.kubeconfig'),
  };
}
export type RealNodePaths = ReturnType<typeof realNodePaths>;
