import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { kubeconfigFiles } from '../kube/index.js';
import type { ApiserverScrape } from './local/monitoring.js';

interface KubeconfigDoc {
  clusters?: { name: string; cluster?: Record<string, string> }[];
  users?: { name: string; user?: Record<string, string> }[];
  contexts?: { name: string; context?: { cluster?: string; user?: string } }[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * What a local Prometheus needs to scrape the cluster's API server: its loopback address and the kubeconfig
 * context's client certificate. Undefined when the server is not on this machine or the user has no client
 * certificate (tokens are not handed to Prometheus).
 */
export async function loopbackApiserverScrape(options: {
  env: NodeJS.ProcessEnv;
  kubeconfig?: string;
  context: string;
}): Promise<ApiserverScrape | undefined> {
  const files = kubeconfigFiles({
    env: options.env,
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
  });
  const docs: { doc: KubeconfigDoc; dir: string }[] = [];
  for (const file of files)
    docs.push({ doc: parse(await readFile(file, 'utf8')) as KubeconfigDoc, dir: dirname(file) });
  const find = <T extends { name: string }>(
    pick: (d: KubeconfigDoc) => T[] | undefined,
    name: string | undefined,
  ) => {
    for (const { doc, dir } of docs) {
      const hit = pick(doc)?.find((x) => x.name === name);
      if (hit) return { hit, dir };
    }
    return undefined;
  };
  const context = find((d) => d.contexts, options.context)?.hit.context;
  const cluster = find((d) => d.clusters, context?.cluster);
  const user = find((d) => d.users, context?.user);
  const server = cluster?.hit.cluster?.server;
  if (!server || !user) return undefined;
  const url = new URL(server);
  if (!LOOPBACK.has(url.hostname)) return undefined;
  const pem = async (
    entry: Record<string, string> | undefined,
    key: string,
    dir: string,
  ): Promise<string | undefined> => {
    const data = entry?.[`${key}-data`];
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const path = entry?.[key];
    return path ? readFile(isAbsolute(path) ? path : resolve(dir, path), 'utf8') : undefined;
  };
  const cert = await pem(user.hit.user, 'client-certificate', user.dir);
  const key = await pem(user.hit.user, 'client-key', user.dir);
  if (!cert || !key) return undefined;
  const ca = await pem(cluster.hit.cluster, 'certificate-authority', cluster.dir);
  return { address: url.host, cert, key, ...(ca ? { ca } : {}) };
}
