import { stringify } from 'yaml';
import { KWOK_NODE_ANNOTATION } from '../../../kube/nodes.js';
import { REAL_NODE_NETWORK } from './real-node/layout.js';
import type { ToolchainBinaries, ToolchainVersions } from './toolchain.js';

/** Loopback only: every component binds here and simulated nodes report it as their InternalIP. */
export const LOOPBACK = '127.0.0.1';
/** Fake pod addresses handed out by kwok. They are never dialled by anything; /16 leaves room for big clusters. */
export const SIMULATED_POD_CIDR = '10.244.0.1/16';

/**
 * The kwokctl configuration of a local cluster: the binary runtime pointed at the cached binaries,
 * everything bound to loopback, and kwok told to give nodes a loopback address so that anything that
 * talks to a "kubelet" (apiserver logs/exec, metrics-server) reaches kwok on this machine.
 */
export function kwokctlConfig(
  binaries: ToolchainBinaries,
  versions: ToolchainVersions,
  extraDocuments: readonly object[] = [],
  realNode?: { pkiDir: string },
): string {
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
    // kwokctl passes an empty --node-ip to kwok, which would override nodeIP below; the later flag wins.
    componentsPatches: <ComponentPatch[]>[
      { name: 'kwok-controller', extraArgs: [{ key: 'node-ip', value: LOOPBACK }] },
      // Autoscaling reacts within seconds instead of half a minute, so a demo shows it.
      {
        name: 'metrics-server',
        extraArgs: [
          { key: 'metric-resolution', value: '10s' },
          { key: 'kubelet-request-timeout', value: '5s' },
        ],
      },
      // One instance of each: leader election only delays a restarted cluster until the old lease expires.
      {
        name: 'kube-controller-manager',
        extraArgs: [
          { key: 'horizontal-pod-autoscaler-sync-period', value: '5s' },
          { key: 'leader-elect', value: 'false' },
        ],
      },
      { name: 'kube-scheduler', extraArgs: [{ key: 'leader-elect', value: 'false' }] },
    ],
  };
  if (realNode) {
    Object.assign(kwokctl.options, { kubeApiserverCertSANs: realNodeCertSans });
    kwokctl.componentsPatches = mergePatches(kwokctl.componentsPatches, realNodePatches(realNode.pkiDir));
  }
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
    },
  };
  return [kwokctl, kwok, ...extraDocuments].map((d) => stringify(d)).join('---\n');
}

const realNodeCertSans = [REAL_NODE_NETWORK.bridgeAddress, REAL_NODE_NETWORK.apiServiceAddress];

/**
 * What a real node changes in the control plane: Services in the sealed range; the API server reachable
 * by pods (on every address, with the firewall letting only loopback and the bridge in) and advertised
 * at the bridge address; the API server authenticating to the kubelet with the cluster's admin client
 * certificate; and kwok leaving the real node alone (it manages only the nodes it created).
 */
function realNodePatches(pkiDir: string): ComponentPatch[] {
  const arg = (key: string, value: string) => ({ key, value });
  return [
    {
      name: 'kube-apiserver',
      extraArgs: [
        arg('bind-address', '0.0.0.0'),
        arg('advertise-address', REAL_NODE_NETWORK.bridgeAddress),
        arg('service-cluster-ip-range', REAL_NODE_NETWORK.serviceCidr),
        arg('kubelet-client-certificate', `${pkiDir}/admin.crt`),
        arg('kubelet-client-key', `${pkiDir}/admin.key`),
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

interface ComponentPatch {
  name: string;
  extraArgs: { key: string; value: string }[];
}

/** One patch per component (kwokctl keeps only one): extra arguments appended to that component's. */
function mergePatches(base: ComponentPatch[], extra: ComponentPatch[]): ComponentPatch[] {
  const merged = base.map((p) => ({ ...p, extraArgs: [...p.extraArgs] }));
  for (const patch of extra) {
    const existing = merged.find((p) => p.name === patch.name);
    if (existing) existing.extraArgs.push(...patch.extraArgs);
    else merged.push(patch);
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
