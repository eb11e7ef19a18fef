import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../config/files.js';
import { parse, stringify } from 'yaml';
import { UserError } from '../errors/index.js';

interface Named {
  name: string;
  [key: string]: unknown;
}

type Context = Named & { context?: { cluster?: string; user?: string; namespace?: string } };

interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Context[];
  'current-context'?: string;
  [key: string]: unknown;
}

function parseDoc(text: string | undefined, what: string): KubeconfigDoc {
  if (!text?.trim()) return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UserError(
      `${what} is not valid YAML: ${(err as Error).message}`,
      'fix or move the file and retry',
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`${what} is not a kubeconfig (expected a mapping)`, 'fix or move the file and retry');
  }
  return doc as KubeconfigDoc;
}

/** The current context of a kubeconfig (else its first) with the cluster and user it names. */
function currentEntries(doc: KubeconfigDoc): {
  context: Context | undefined;
  cluster: Named | undefined;
  account: Named | undefined;
} {
  const context = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  return {
    context,
    cluster: doc.clusters?.find((c) => c.name === context?.context?.cluster),
    account: doc.users?.find((u) => u.name === context?.context?.user),
  };
}

/** PEM text of the TLS material a kubeconfig embeds (`*-data` fields only: a published one has no files). */
export interface KubeconfigTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** The embedded CA and client certificate of a single-cluster kubeconfig's current context. */
export function kubeconfigTls(yaml: string): KubeconfigTls {
  const { cluster, account } = currentEntries(parseDoc(yaml, "the cluster's kubeconfig"));
  const pem = (section: Named | undefined, inner: 'cluster' | 'user', field: string): string | undefined => {
    const value = (section?.[inner] as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' && value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  };
  const ca = pem(cluster, 'cluster', 'certificate-authority-data');
  const cert = pem(account, 'user', 'client-certificate-data');
  const key = pem(account, 'user', 'client-key-data');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

function upsert(list: Named[] | undefined, item: Named): Named[] {
  return [...(list ?? []).filter((x) => x.name !== item.name), item];
}

/**
 * Adds a cluster's single-context kubeconfig to the user's kubeconfig under `name` (cluster, user and
 * context all named `name`), replacing only entries of that name, and makes it the current context.
 */
export function mergeContext(userYaml: string | undefined, clusterYaml: string, name: string): string {
  const user = parseDoc(userYaml, 'your kubeconfig');
  const {
    context: sourceContext,
    cluster,
    account,
  } = currentEntries(parseDoc(clusterYaml, "the cluster's kubeconfig"));
  if (!sourceContext || !cluster || !account) {
    throw new Error("the cluster's kubeconfig has no complete context (cluster, user and context)");
  }
  user.clusters = upsert(user.clusters, { ...cluster, name });
  user.users = upsert(user.users, { ...account, name });
  user.contexts = upsert(user.contexts, {
    name,
    context: { ...sourceContext.context, cluster: name, user: name },
  });
  user['current-context'] = name;
  user.apiVersion ??= 'v1';
  user.kind ??= 'Config';
  return stringify(user);
}

/** Removes the cluster, user and context named `name`; other entries stay as they are. */
export function removeContext(userYaml: string | undefined, name: string): string | undefined {
  if (!userYaml?.trim()) return undefined;
  const user = parseDoc(userYaml, 'your kubeconfig');
  const had = [user.clusters, user.users, user.contexts].some((l) => l?.some((x) => x.name === name));
  if (!had) return undefined;
  user.clusters = (user.clusters ?? []).filter((x) => x.name !== name);
  user.users = (user.users ?? []).filter((x) => x.name !== name);
  user.contexts = (user.contexts ?? []).filter((x) => x.name !== name);
  if (user['current-context'] === name) user['current-context'] = '';
  return stringify(user);
}

/** Extracts the single context `name` as a standalone kubeconfig. */
export function extractContext(userYaml: string, name: string): string | undefined {
  const user = parseDoc(userYaml, 'your kubeconfig');
  const context = user.contexts?.find((c) => c.name === name);
  if (!context) return undefined;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: (user.clusters ?? []).filter((c) => c.name === context.context?.cluster),
    users: (user.users ?? []).filter((u) => u.name === context.context?.user),
    contexts: [context],
    'current-context': name,
  });
}

export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written kubeconfig. */
export async function writeKubeconfig(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { mode: 0o600, dirMode: 0o700 });
}
