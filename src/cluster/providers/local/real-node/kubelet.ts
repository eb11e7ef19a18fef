import { stringify } from 'yaml';
import { REAL_NODE_NETWORK as NET, REAL_NODE_LABEL, type RealNodePaths } from './layout.js';

/** Ports the real node's components listen on, chosen free at create and kept in the node record. */
export interface RealNodePorts {
  kubelet: number;
  kubeletHealthz: number;
  proxyHealthz: number;
  proxyMetrics: number;
}

/**
 * The kubelet's configuration: it serves on the bridge address only (the API server and metrics-server
 * reach it there, and so do pods scraping it), healthz on loopback, webhook authn/authz against the
 * cluster, the cgroupfs driver like containerd, cluster DNS at the fixed kube-dns address, and a
 * resolv.conf of its own so no pod is handed the host's upstream nameservers.
 */
export function kubeletConfig(paths: RealNodePaths, ports: RealNodePorts, caFile: string): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NET.bridgeAddress,
    port: ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: ports.kubeletHealthz,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: caFile },
    },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    clusterDNS: [NET.dnsServiceAddress],
    clusterDomain: NET.clusterDomain,
    resolvConf: paths.resolvConf,
    podLogsDir: paths.podLogs,
    failSwapOn: false,
    failCgroupV1: false,
    // The host is shared with the developer's own work: evict only when it is really short.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '2%', 'imagefs.available': '2%' },
    imageGCHighThresholdPercent: 98,
    imageGCLowThresholdPercent: 95,
    serializeImagePulls: false,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    registerNode: true,
    staticPodPath: '',
    maxPods: 110,
  });
}

export function kubeletArgs(paths: RealNodePaths, nodeName: string): string[] {
  return [
    `--config=${paths.kubeletConfig}`,
    `--kubeconfig=${paths.kubeletKubeconfig}`,
    `--root-dir=${paths.kubeletRoot}`,
    `--cert-dir=${paths.kubeletRoot}/pki`,
    `--hostname-override=${nodeName}`,
    `--node-ip=${NET.bridgeAddress}`,
    `--node-labels=${REAL_NODE_LABEL}=true`,
    '--v=1',
  ];
}

/** kube-proxy in iptables mode, NodePorts on the bridge only, leaving the host's conntrack sysctls alone. */
export function kubeProxyConfig(paths: RealNodePaths, ports: RealNodePorts, nodeName: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: paths.proxyKubeconfig },
    hostnameOverride: nodeName,
    bindAddress: NET.bridgeAddress,
    healthzBindAddress: `127.0.0.1:${String(ports.proxyHealthz)}`,
    metricsBindAddress: `127.0.0.1:${String(ports.proxyMetrics)}`,
    clusterCIDR: NET.podCidr,
    nodePortAddresses: [NET.nodePodSubnet],
    iptables: { localhostNodePorts: false, masqueradeAll: false },
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  });
}

/** A kubeconfig for one component, authenticating with its own client certificate. */
export function componentKubeconfig(
  server: string,
  caFile: string,
  certFile: string,
  keyFile: string,
  user: string,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cluster', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: user, user: { 'client-certificate': certFile, 'client-key': keyFile } }],
    contexts: [{ name: 'default', context: { cluster: 'cluster', user } }],
    'current-context': 'default',
  });
}
