import { randomBytes } from 'node:crypto';
import { isNotFound } from '../../kube/errors.js';
import { type KubeconfigOptions, loadKubeconfig } from '../../kube/kubeconfig.js';
import { computeStatus } from '../../kube/status/index.js';
import { Transport } from '../../kube/transport.js';
import type { ResourceInfo } from '../../kube/types.js';
import { listAndWatch } from '../../kube/watch.js';
import type { ClusterNode, ClusterReader, DeploymentRollout, ProbeOutcome, ProbeSpec } from './reader.js';
import { isSimulatedNode } from './reader.js';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cncfdemo' };
const JOBS: ResourceInfo = resource('batch', 'Job', 'jobs');
const DEPLOYMENTS: ResourceInfo = resource('apps', 'Deployment', 'deployments');

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

/** The doctor's view of a cluster through the kube layer's transport (kubeconfig, context, credentials). */
export async function kubeClusterReader(
  options: KubeconfigOptions,
): Promise<ClusterReader & { close(): void }> {
  const kubeconfig = await loadKubeconfig(options);
  const transport = new Transport(kubeconfig);
  const get = <T>(path: string, signal?: AbortSignal): Promise<T> =>
    transport.json<T>({ method: 'GET', path, ...(signal ? { signal } : {}) });
  const post = <T>(path: string, body: object): Promise<T> =>
    transport.json<T>({ method: 'POST', path, body: JSON.stringify(body) });

  return {
    description: `context "${kubeconfig.contextName}" (${transport.server.origin})`,
    close: () => {
      transport.close();
    },
    async serverVersion() {
      return (await get<{ gitVersion: string }>('/version')).gitVersion;
    },
    async listNodes() {
      const nodes: ClusterNode[] = [];
      let cont: string | undefined;
      do {
        const page = await transport.json<{ items: Node[]; metadata: { continue?: string } }>({
          method: 'GET',
          path: '/api/v1/nodes',
          query: { limit: 500, continue: cont },
        });
        for (const n of page.items) nodes.push(nodeSummary(n));
        cont = page.metadata.continue || undefined;
      } while (cont);
      return nodes;
    },
    async getDeployment(namespace, name) {
      try {
        return rollout(
          namespace,
          await get<Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`),
        );
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async runProbe(probe, signal) {
      const namespace = `cncfdemo-doctor-${probe.name}-${randomBytes(3).toString('hex')}`;
      const deadline = AbortSignal.timeout(probe.timeoutSeconds * 1000);
      const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
      await post('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: MANAGED_BY },
      });
      try {
        let serviceHost = '';
        if (probe.service) {
          serviceHost = await startServer(post, namespace, probe);
          const ready = await waitFor(transport, DEPLOYMENTS, namespace, 'server', stop);
          if (ready.status !== 'Current')
            return { succeeded: false, detail: `server Deployment not ready: ${ready.message}`, logs: '' };
        }
        await post(`/apis/batch/v1/namespaces/${namespace}/jobs`, probeJob(probe, serviceHost));
        const done = await waitFor(transport, JOBS, namespace, 'probe', stop);
        const logs = await podLogs(transport, namespace);
        const outcome: ProbeOutcome = {
          succeeded: done.status === 'Current',
          detail:
            done.status === 'Current'
              ? 'Job completed'
              : `Job ${done.status === 'Failed' ? 'failed' : 'did not finish'}: ${done.message}`,
          logs,
        };
        return outcome;
      } finally {
        await transport
          .request({
            method: 'DELETE',
            path: `/api/v1/namespaces/${namespace}`,
            query: { propagationPolicy: 'Background' },
          })
          .catch(() => undefined);
      }
    },
  };
}

function nodeSummary(n: Node): ClusterNode {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const summary: ClusterNode = {
    name: n.metadata.name ?? '',
    ready: ready?.status === 'True',
    simulated: isSimulatedNode(n.metadata.annotations, n.metadata.labels),
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

async function startServer(
  post: <T>(path: string, body: object) => Promise<T>,
  namespace: string,
  probe: ProbeSpec,
): Promise<string> {
  const service = probe.service;
  if (!service) return '';
  const labels = { ...MANAGED_BY, 'cncfdemo.io/probe': probe.name };
  await post(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'server', labels },
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
  });
  const created = await post<{ spec?: { clusterIP?: string } }>(`/api/v1/namespaces/${namespace}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'server', labels },
    spec: { selector: labels, ports: [{ port: service.port, targetPort: service.port }] },
  });
  return created.spec?.clusterIP ?? '';
}

/** Keeps probe pods off kwok's simulated nodes in clusters that mix them with real ones. */
const REAL_NODES = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'NotIn', values: ['kwok'] }] }],
    },
  },
};

function placement(probe: ProbeSpec): { affinity?: typeof REAL_NODES } {
  return probe.placement === 'any-node' ? {} : { affinity: REAL_NODES };
}

function probeJob(probe: ProbeSpec, serviceHost: string): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'probe', labels: MANAGED_BY },
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

/** Watches one object until kstatus calls it Current or Failed, or the signal fires. */
async function waitFor(
  transport: Transport,
  info: ResourceInfo,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<{ status: string; message: string }> {
  let last = { status: 'Unknown', message: 'not observed yet' };
  try {
    await listAndWatch(
      transport,
      info,
      { namespace, fieldSelector: `metadata.name=${name}`, signal },
      (update, store) => {
        if (update.type === 'SYNCED' && store.size === 0) return false;
        const obj = store.get(`${namespace}/${name}`);
        if (!obj) return false;
        last = computeStatus(obj);
        return last.status === 'Current' || last.status === 'Failed';
      },
    );
  } catch (err) {
    if (!signal.aborted) throw err;
    return { status: 'Timeout', message: `timed out (${last.message})` };
  }
  return last;
}

async function podLogs(transport: Transport, namespace: string): Promise<string> {
  try {
    const pods = await transport.json<{ items: { metadata: { name?: string } }[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { labelSelector: 'job-name=probe' },
    });
    const name = pods.items[0]?.metadata.name;
    if (!name) return '';
    return (
      await transport.request({
        method: 'GET',
        path: `/api/v1/namespaces/${namespace}/pods/${name}/log`,
        accept: 'text/plain',
      })
    ).body;
  } catch {
    return '';
  }
}

function resource(group: string, kind: string, plural: string): ResourceInfo {
  return {
    group,
    version: 'v1',
    kind,
    resource: plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    verbs: ['list', 'watch'],
  };
}
