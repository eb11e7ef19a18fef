import { homeDir } from '../config/paths.js';
import { readRecord } from '../cluster/record.js';
import { getProvider } from '../cluster/registry.js';
import type { ClusterProvider } from '../cluster/types.js';
import { clusterNameOf } from '../config/identity.js';
import type { KubeClient } from '../kube/index.js';
import type { Logger } from '../log/logger.js';

export interface HostnameOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** The cluster cncfdemo made behind a kube context (`cncfdemo-<name>`) and its provider, if it has one. */
async function clusterOfContext(
  context: string,
  options: HostnameOptions,
): Promise<{ name: string; provider: ClusterProvider } | undefined> {
  const name = clusterNameOf(context);
  if (name === undefined) return undefined;
  const env = options.env ?? process.env;
  const home = homeDir(env, options.home);
  const record = await readRecord(home, name);
  return record ? { name, provider: await getProvider(record.provider, { home, env }) } : undefined;
}

/** Where the Countly Ingress (else its dashboard's LoadBalancer Service) is reached from outside. */
async function countlyAddress(client: KubeClient, namespace: string): Promise<string | undefined> {
  for (const [kind, name] of [
    ['ingresses', 'countly'],
    ['services', 'countly-dashboard'],
  ] as const) {
    const object = (await client.get(kind, name, namespace)) as
      { status?: { loadBalancer?: { ingress?: { hostname?: string; ip?: string }[] } } } | undefined;
    const ingress = object?.status?.loadBalancer?.ingress?.[0];
    const address = ingress?.hostname ?? ingress?.ip;
    if (address) return address;
  }
  return undefined;
}

/**
 * `start --domain D`: the record `countly.D` pointing at Countly's load balancer, made through the
 * cluster's provider (AWS: Route53). Clusters whose provider has no public DNS are left alone.
 */
export async function publishCountlyHostname(
  client: KubeClient,
  domain: string,
  namespace: string,
  options: HostnameOptions,
): Promise<void> {
  const cluster = await clusterOfContext(client.contextName, options);
  if (!cluster?.provider.publishHostname) return;
  const hostname = `countly.${domain}`;
  const target = await countlyAddress(client, namespace);
  if (!target) {
    options.logger?.warn(
      `${hostname} is not published: the countly Ingress has no load balancer address yet`,
    );
    return;
  }
  await cluster.provider.publishHostname(cluster.name, hostname, target);
  options.logger?.info(`${hostname} -> ${target}`);
}

/** `stop`: removes the names `start --domain` published for the cluster. */
export async function unpublishHostnames(client: KubeClient, options: HostnameOptions): Promise<void> {
  const cluster = await clusterOfContext(client.contextName, options);
  await cluster?.provider.unpublishHostnames?.(cluster.name);
}
