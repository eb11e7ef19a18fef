import { UserError } from '../errors/index.js';
import type { KubeClient } from '../kube/index.js';
import type { KubeObject } from '../kube/types.js';
import { COMPONENT, STACK_SELECTOR } from './labels.js';

export interface GrafanaAccess {
  url: string;
  /** A command to run first when Grafana is only reachable inside the cluster (kubectl port-forward). */
  portForward?: string;
  user: string;
  /** Prints the admin password; the password itself is never part of cncfdemo's output. */
  passwordCommand: string;
  namespace: string;
}

const LOCAL_PORT = 3000;

/** How a person reaches Grafana: its Ingress host, a node port, a load balancer, or a port-forward. */
export async function grafanaAccess(
  client: KubeClient,
  context: string,
  namespace: string,
): Promise<GrafanaAccess> {
  const selector = `${STACK_SELECTOR},${COMPONENT}=grafana`;
  const service = await client.get({ apiVersion: 'v1', kind: 'Service' }, 'grafana', namespace);
  if (!service) {
    throw new UserError(
      `Grafana is not deployed in namespace ${namespace}`,
      'deploy the stack with `cncfdemo start` (and give grafana the same --values/--set)',
    );
  }
  const ingresses = await client.list(
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
    { namespace, labelSelector: selector },
  );
  const nodes =
    (service.spec as { type?: string } | undefined)?.type === 'NodePort' ? await client.listNodes() : [];
  return accessFrom(service, ingresses, nodes, context);
}

/** Pure part of `grafanaAccess`. */
export function accessFrom(
  service: KubeObject,
  ingresses: readonly KubeObject[],
  nodes: readonly KubeObject[],
  context: string,
): GrafanaAccess {
  const namespace = service.metadata.namespace ?? 'default';
  const kubectl = `kubectl --context ${context} -n ${namespace}`;
  const base = {
    user: 'admin',
    passwordCommand: `${kubectl} get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d; echo`,
    namespace,
  };
  const host = (ingresses[0]?.spec as { rules?: { host?: string }[] } | undefined)?.rules?.[0]?.host;
  if (host) return { ...base, url: `http://${host}/` };
  const spec = service.spec as { type?: string; ports?: { port: number; nodePort?: number }[] } | undefined;
  const port = spec?.ports?.[0];
  if (spec?.type === 'LoadBalancer') {
    const lb = (
      service.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined
    )?.loadBalancer?.ingress?.[0];
    const address = lb?.hostname ?? lb?.ip;
    if (address) return { ...base, url: `http://${address}:${port?.port ?? 80}/` };
  }
  if (spec?.type === 'NodePort' && port?.nodePort) {
    const addresses =
      (nodes[0]?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
    const address = (
      addresses.find((a) => a.type === 'ExternalIP') ?? addresses.find((a) => a.type === 'InternalIP')
    )?.address;
    if (address) return { ...base, url: `http://${address}:${port.nodePort}/` };
  }
  return {
    ...base,
    url: `http://localhost:${LOCAL_PORT}/`,
    portForward: `${kubectl} port-forward svc/grafana ${LOCAL_PORT}:${port?.port ?? 80}`,
  };
}
