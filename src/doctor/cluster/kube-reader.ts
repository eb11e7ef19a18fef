import { randomBytes } from 'node:crypto';
import { managedLabels } from '../../config/identity.js';
import { errorMessage } from '../../errors/index.js';
import { connect, isSimulatedNode, KWOK_NODE_LABEL, type KubeconfigOptions } from '../../kube/index.js';
import type { KubeObject } from '../../kube/types.js';
import type { ClusterNode, ClusterReader, DeploymentRollout, ProbeSpec } from './reader.js';

const MANAGED_BY = managedLabels();
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };

interface Node {
  metadata: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    nodeInfo?: { kubeletVersion?: string };
  };
}
interface Deployment {
  metadata: { name?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
  };
}

/** The doctor's view of a cluster, through the kube layer's client (kubeconfig, context, credentials). */
export async function kubeClusterReader(
  options: KubeconfigOptions,
): Promise<ClusterReader & { close(): void }> {
  const client = await connect(options);
  return {
    description: `context "${client.contextName}" (${client.server})`,
    close: () => {
      client.close();
    },
    async serverVersion() {
      return (await client.serverVersion()).gitVersion;
    },
    async listNodes() {
      return (await client.listNodes()).map((n) => nodeSummary(n as unknown as Node));
    },
    async getDeployment(namespace, name) {
      const d = await client.get(DEPLOYMENT, name, namespace);
      return d ? rollout(namespace, d) : undefined;
    },
    async runProbe(probe, signal) {
      const namespace = `cncfdemo-doctor-${probe.name}-${randomBytes(3).toString('hex')}`;
      const nsObject: KubeObject = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: MANAGED_BY },
      };
      const wait = { timeoutMs: probe.timeoutSeconds * 1000, ...(signal ? { signal } : {}) };
      await client.create([nsObject]);
      try {
        let serviceHost = '';
        if (probe.service) {
          const [deployment, service] = serverObjects(namespace, probe);
          const created = await client.create([deployment, service]);
          const spec = created[1]?.object.spec as { clusterIP?: string } | undefined;
          serviceHost = spec?.clusterIP ?? '';
          try {
            await client.waitReady([deployment], wait);
          } catch (err) {
            return {
              succeeded: false,
              detail: `server Deployment not ready: ${errorMessage(err)}`,
              logs: '',
            };
          }
        }
        const job = probeJob(namespace, probe, serviceHost);
        await client.create([job]);
        let detail = 'Job completed';
        let succeeded = true;
        try {
          await client.waitReady([job], wait);
        } catch (err) {
          succeeded = false;
          detail = `Job did not complete: ${errorMessage(err)}`;
        }
        // The kube layer has no pod-log call yet; the Job's failure condition carries the reason.
        return { succeeded, detail, logs: '' };
      } finally {
        await client.deleteObjects([nsObject], { wait: false }).catch(() => undefined);
      }
    },
  };
}

function nodeSummary(n: Node): ClusterNode {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const summary: ClusterNode = {
    name: n.metadata.name ?? '',
    ready: ready?.status === 'True',
    simulated: isSimulatedNode(n),
  };
  if (ready?.status !== 'True')
    summary.readyDetail = ready
      ? `${ready.reason ?? ''} ${ready.message ?? ''}`.trim()
      : 'no Ready condition';
  if (n.status?.nodeInfo?.kubeletVersion) summary.kubeletVersion = n.status.nodeInfo.kubeletVersion;
  return summary;
}

function rollout(namespace: string, d: Deployment): DeploymentRollout {
  return {
    name: d.metadata.name ?? '',
    namespace,
    desired: d.spec?.replicas ?? 1,
    updated: d.status?.updatedReplicas ?? 0,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    observed: (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0),
  };
}

/** Keeps probe pods off kwok's simulated nodes in clusters that mix them with real ones. */
const REAL_NODES = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: KWOK_NODE_LABEL.key, operator: 'NotIn', values: [KWOK_NODE_LABEL.value] },
          ],
        },
      ],
    },
  },
};

function placement(probe: ProbeSpec): { affinity?: typeof REAL_NODES } {
  return probe.placement === 'any-node' ? {} : { affinity: REAL_NODES };
}

function serverObjects(namespace: string, probe: ProbeSpec): [KubeObject, KubeObject] {
  const service = probe.service ?? { image: probe.image, command: [], port: 80 };
  const labels = { ...MANAGED_BY, 'cncfdemo.io/probe': probe.name };
  return [
    {
      ...DEPLOYMENT,
      metadata: { name: 'server', namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...placement(probe),
            containers: [
              {
                name: 'server',
                image: service.image,
                command: service.command,
                ports: [{ containerPort: service.port }],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'server', namespace, labels },
      spec: { selector: labels, ports: [{ port: service.port, targetPort: service.port }] },
    },
  ];
}

function probeJob(namespace: string, probe: ProbeSpec, serviceHost: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'probe', namespace, labels: MANAGED_BY },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: probe.timeoutSeconds,
      template: {
        metadata: { labels: { ...MANAGED_BY, 'cncfdemo.io/probe': probe.name } },
        spec: {
          restartPolicy: 'Never',
          ...placement(probe),
          containers: [
            {
              name: 'probe',
              image: probe.image,
              command: ['sh', '-c', probe.script],
              env: [{ name: 'PROBE_SERVICE_HOST', value: serviceHost }],
            },
          ],
        },
      },
    },
  };
}
