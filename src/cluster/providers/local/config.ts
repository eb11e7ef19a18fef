import { stringify } from 'yaml';
import { KWOK_NODE_ANNOTATION } from '../../../kube/nodes.js';
import { REAL_NODE_NETWORK } from './real-node/layout.js';
import { FRONT_PROXY_CLIENT, type ClusterPki, type IdentifiedComponent } from './pki.js';
import type { ControlPlanePorts } from './components.js';
import { PROMETHEUS_COMPONENT, type ClusterMonitoring } from './monitoring.js';
import type { ToolchainBinaries, ToolchainVersions } from './toolchain.js';

/** Loopback only: every component binds here and simulated nodes report it as their InternalIP. */
export const LOOPBACK = '127.0.0.1';
/** Fake pod addresses handed out by kwok. They are never dialled by anything; /16 leaves room for big clusters. */
export const SIMULATED_POD_CIDR = '10.244.0.1/16';

/** What a cluster's control plane is set up with besides its binaries (see pki.ts for the credentials). */
export interface ControlPlaneOptions {
  pki: ClusterPki;
  /** The control plane's ports, chosen before kwokctl runs (see controlPlanePorts). */
  ports: ControlPlanePorts;
  /** Serve the profiling endpoints (pprof) of kwok and the control plane: `cluster create --debug` only. */
  profiling: boolean;
  realNode: boolean;
  /** The cluster's own Prometheus (monitoring.ts); without it, kwokctl runs none. */
  monitoring?: ClusterMonitoring;
  /** More documents for the config file (kwok Stages). */
  extraDocuments?: readonly object[];
}

/**
 * The kwokctl configuration of a local cluster: the binary runtime pointed at the cached binaries,
 * everything bound to loopback, and kwok told to give nodes a loopback address so that anything that
 * talks to a "kubelet" (apiserver logs/exec, metrics-server) reaches kwok on this machine. kwokctl's own
 * setup (one key for everything, plain-HTTP etcd) is replaced by the cluster's PKI (securityPatches).
 */
export function kwokctlConfig(
  binaries: ToolchainBinaries,
  versions: ToolchainVersions,
  setup: ControlPlaneOptions,
): string {
  const { prometheusPort, ...ports } = setup.ports;
  const { monitoring } = setup;
  const kwokctl = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: {
      runtime: 'binary',
      bindAddress: LOOPBACK,
      securePort: true,
      kubeAuthorization: true,
      kubeAdmission: true,
      disableQPSLimits: true,
      enableMetricsServer: true,
      ...ports,
      // kwokctl runs its Prometheus component when given a port for it
      ...(monitoring ? { prometheusPort, prometheusBinary: monitoring.binary } : {}),
      kubeVersion: versions.kubernetes,
      etcdVersion: versions.etcd.replace(/^v/, ''),
      kwokVersion: versions.kwok,
      kubeApiserverBinary: binaries.kubeApiserver,
      kubeControllerManagerBinary: binaries.kubeControllerManager,
      kubeSchedulerBinary: binaries.kubeScheduler,
      kubectlBinary: binaries.kubectl,
      etcdBinary: binaries.etcd,
      kwokControllerBinary: binaries.kwok,
      metricsServerBinary: binaries.metricsServer,
    },
    componentsPatches: onePatchEach([
      // kwokctl passes an empty --node-ip to kwok, which would override nodeIP below; the later flag wins.
      { name: 'kwok-controller', extraArgs: [arg('node-ip', LOOPBACK)] },
      // Autoscaling reacts within seconds instead of half a minute, so a demo shows it.
      {
        name: 'metrics-server',
        extraArgs: [arg('metric-resolution', '10s'), arg('kubelet-request-timeout', '5s')],
      },
      // One instance of each: leader election only delays a restarted cluster until the old lease expires.
      {
        name: 'kube-controller-manager',
        extraArgs: [arg('horizontal-pod-autoscaler-sync-period', '5s'), arg('leader-elect', 'false')],
      },
      { name: 'kube-scheduler', extraArgs: [arg('leader-elect', 'false')] },
      ...securityPatches(setup),
      ...(monitoring ? [monitoringPatch(monitoring)] : []),
      ...(setup.realNode ? realNodePatches() : []),
    ]),
  };
  const kwok = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    // kwok's default of 4 parallel stage workers makes 100 nodes take ~20 s to turn Ready.
    options: {
      nodeIP: LOOPBACK,
      cidr: SIMULATED_POD_CIDR,
      nodePlayStageParallelism: 16,
      nodeLeaseParallelism: 16,
      podPlayStageParallelism: 16,
      enableProfilingHandler: setup.profiling,
    },
  };
  return [kwokctl, kwok, ...(setup.extraDocuments ?? [])].map((d) => stringify(d)).join('---\n');
}

/** kwokctl's Prometheus with our config (monitoring.ts) and its data in the cluster's directory. */
function monitoringPatch(monitoring: ClusterMonitoring): ComponentPatch {
  return {
    name: PROMETHEUS_COMPONENT,
    extraArgs: [
      set('config.file', monitoring.config),
      arg('storage.tsdb.path', monitoring.data),
      arg('storage.tsdb.retention.time', '1d'),
      arg('log.level', 'warn'),
    ],
  };
}

/** Paths the control plane's own endpoints answer without credentials (their health probes). */
const HEALTH_PATHS = '/healthz,/readyz,/livez';

/**
 * The cluster's PKI in place of kwokctl's single key: etcd on TLS with client certificates (clients and
 * peer), the API server serving, reaching etcd and kubelets, and proxying to aggregated APIs with keys of
 * their own, service accounts signed with their own key, Secrets encrypted in etcd, anonymous requests
 * refused but for health probes, and no profiling endpoints unless asked.
 */
function securityPatches(setup: ControlPlaneOptions): ComponentPatch[] {
  const { pki: p, profiling } = setup;
  const url = (port: number) => `https://${LOOPBACK}:${String(port)}`;
  const { etcdPort: client, etcdPeerPort: peer } = setup.ports;
  const noProfiling = profiling ? [] : [arg('profiling', 'false')];
  const ownUser = (component: IdentifiedComponent): ExtraArg[] => componentIdentityArgs(p, component);
  return [
    {
      name: 'etcd',
      extraArgs: [
        set('listen-client-urls', url(client)),
        set('advertise-client-urls', url(client)),
        set('listen-peer-urls', url(peer)),
        set('initial-advertise-peer-urls', url(peer)),
        set('initial-cluster', `node0=${url(peer)}`),
        arg('cert-file', p.etcdServer.cert),
        arg('key-file', p.etcdServer.key),
        arg('trusted-ca-file', p.etcdCa.cert),
        arg('client-cert-auth', 'true'),
        arg('peer-cert-file', p.etcdPeer.cert),
        arg('peer-key-file', p.etcdPeer.key),
        arg('peer-trusted-ca-file', p.etcdCa.cert),
        arg('peer-client-cert-auth', 'true'),
        ...(profiling ? [arg('enable-pprof', 'true')] : []),
      ],
    },
    {
      name: 'kube-apiserver',
      extraArgs: [
        set('etcd-servers', url(client)),
        arg('etcd-cafile', p.etcdCa.cert),
        arg('etcd-certfile', p.apiServerEtcdClient.cert),
        arg('etcd-keyfile', p.apiServerEtcdClient.key),
        set('tls-cert-file', p.apiServer.cert),
        set('tls-private-key-file', p.apiServer.key),
        set('service-account-key-file', p.serviceAccount.pub),
        set('service-account-signing-key-file', p.serviceAccount.key),
        set('proxy-client-cert-file', p.frontProxyClient.cert),
        set('proxy-client-key-file', p.frontProxyClient.key),
        arg('requestheader-client-ca-file', p.frontProxyCa.cert),
        arg('requestheader-allowed-names', FRONT_PROXY_CLIENT),
        arg('requestheader-username-headers', 'X-Remote-User'),
        arg('requestheader-group-headers', 'X-Remote-Group'),
        arg('requestheader-extra-headers-prefix', 'X-Remote-Extra-'),
        arg('kubelet-client-certificate', p.apiServerKubeletClient.cert),
        arg('kubelet-client-key', p.apiServerKubeletClient.key),
        arg('authentication-config', p.authenticationConfig),
        arg('encryption-provider-config', p.encryptionConfig),
        ...noProfiling,
      ],
    },
    {
      name: 'kube-controller-manager',
      extraArgs: [
        set('service-account-private-key-file', p.serviceAccount.key),
        set('authorization-always-allow-paths', HEALTH_PATHS),
        ...ownUser('kube-controller-manager'),
        ...noProfiling,
      ],
    },
    {
      name: 'kube-scheduler',
      extraArgs: [
        set('authorization-always-allow-paths', HEALTH_PATHS),
        ...ownUser('kube-scheduler'),
        ...noProfiling,
      ],
    },
    {
      name: 'kwok-controller',
      extraArgs: [
        set('tls-cert-file', p.kwok.cert),
        set('tls-private-key-file', p.kwok.key),
        ...ownUser('kwok-controller'),
      ],
    },
    {
      name: 'metrics-server',
      extraArgs: [
        set('tls-cert-file', p.metricsServer.cert),
        set('tls-private-key-file', p.metricsServer.key),
        ...noProfiling,
      ],
    },
  ];
}

/**
 * The arguments that make a component reach the API server as its own user: its kubeconfig, also for
 * delegated authentication and authorization of its endpoints; the controller-manager's controllers each
 * with their service account's token (what the bootstrap RBAC expects, as under kubeadm: the user
 * system:kube-controller-manager alone may not create ReplicaSets). Shared with the upgrade of a cluster
 * saved before components had users of their own (identities.ts).
 */
export function componentIdentityArgs(p: ClusterPki, component: IdentifiedComponent): ExtraArg[] {
  const kubeconfig = p.components[component].kubeconfig;
  // kwokctl sets --kubeconfig (to the admin's) and none of the others
  if (component === 'kwok-controller') return [set('kubeconfig', kubeconfig)];
  return [
    set('kubeconfig', kubeconfig),
    arg('authentication-kubeconfig', kubeconfig),
    arg('authorization-kubeconfig', kubeconfig),
    // Given, the CAs are not looked up in kube-system's extension-apiserver-authentication ConfigMap: the
    // controller-manager would exit if it started before the API server's bootstrap RBAC let it read that.
    arg('client-ca-file', p.ca.cert),
    arg('requestheader-client-ca-file', p.frontProxyCa.cert),
    arg('requestheader-allowed-names', FRONT_PROXY_CLIENT),
    ...(component === 'kube-controller-manager' ? [arg('use-service-account-credentials', 'true')] : []),
  ];
}

/**
 * What a real node changes in the control plane: Services in the sealed range; the API server reachable
 * by pods (on every address, with the firewall letting only loopback and the bridge in) and advertised
 * at the bridge address (its certificate names both: REAL_NODE_API_NAMES); and kwok leaving the real node
 * alone (it manages only the nodes it created).
 */
function realNodePatches(): ComponentPatch[] {
  return [
    {
      name: 'kube-apiserver',
      extraArgs: [
        arg('bind-address', '0.0.0.0'),
        arg('advertise-address', REAL_NODE_NETWORK.bridgeAddress),
        arg('service-cluster-ip-range', REAL_NODE_NETWORK.serviceCidr),
        arg('kubelet-preferred-address-types', 'InternalIP'),
      ],
    },
    {
      name: 'kube-controller-manager',
      extraArgs: [arg('service-cluster-ip-range', REAL_NODE_NETWORK.serviceCidr)],
    },
    {
      name: 'kwok-controller',
      extraArgs: [
        arg('manage-all-nodes', 'false'),
        arg(
          'manage-nodes-with-annotation-selector',
          `${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
        ),
      ],
    },
  ];
}

/** The API server's certificate names these too on a real node: the bridge address and the `kubernetes` Service. */
export const REAL_NODE_API_NAMES = [REAL_NODE_NETWORK.bridgeAddress, REAL_NODE_NETWORK.apiServiceAddress];

/** An argument appended to a component's. */
const arg = (key: string, value: string): ExtraArg => ({ key, value });
/** An argument that replaces kwokctl's own of that name. */
const set = (key: string, value: string): ExtraArg => ({ key, value, override: true });

export interface ExtraArg {
  key: string;
  value: string;
  override?: boolean;
}

interface ComponentPatch {
  name: string;
  extraArgs: ExtraArg[];
}

/** One patch per component (kwokctl keeps only one): the arguments of each, in order. */
function onePatchEach(patches: readonly ComponentPatch[]): ComponentPatch[] {
  const merged: ComponentPatch[] = [];
  for (const patch of patches) {
    const existing = merged.find((p) => p.name === patch.name);
    if (existing) existing.extraArgs.push(...patch.extraArgs);
    else merged.push({ name: patch.name, extraArgs: [...patch.extraArgs] });
  }
  return merged;
}

/** Stages that make a pod Ready or complete it: the ones a start delay applies to. */
const POD_START_STAGES = new Set(['pod-ready', 'pod-complete']);

interface StageDocument {
  kind?: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
}

/**
 * kwok's default stages with a start delay on pods: each pod turns Ready (or completes) after
 * `delayMs` to `2 * delayMs`, so timings measured on the local cluster are not all zero.
 */
export function delayedStages(defaults: readonly StageDocument[], delayMs: number): StageDocument[] {
  return defaults.map((stage) =>
    stage.kind === 'Stage' && POD_START_STAGES.has(stage.metadata?.name ?? '')
      ? {
          ...stage,
          spec: {
            ...stage.spec,
            delay: { durationMilliseconds: delayMs, jitterDurationMilliseconds: 2 * delayMs },
          },
        }
      : stage,
  );
}

/** `kwokctl scale node` parameters that size each simulated node. */
export function nodeParams(cpu: string, memory: string, pods: number): string[] {
  return [
    `.allocatable.cpu=${JSON.stringify(cpu)}`,
    `.allocatable.memory=${JSON.stringify(memory)}`,
    `.allocatable.pods=${pods}`,
  ].flatMap((p) => ['--param', p]);
}
