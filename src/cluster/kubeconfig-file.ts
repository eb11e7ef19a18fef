import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError } from '../errors/index.js';

interface Named {
  name: string;
  [key: string]: unknown;
}

interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: (Named & { context?: { cluster?: string; user?: string; namespace?: string } })[];
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

function upsert(list: Named[] | undefined, item: Named): Named[] {
  return [...(list ?? []).filter((x) => x.name !== item.name), item];
}

/**
 * Adds a cluster's single-context kubeconfig to the user's kubeconfig under `name` (cluster, user and
 * context all named `name`), replacing only entries of that name, and makes it the current context.
 */
export function mergeContext(userYaml: string | undefined, clusterYaml: string, name: string): string {
  const user = parseDoc(userYaml, 'your kubeconfig');
  const source = parseDoc(clusterYaml, "the cluster's kubeconfig");
  const sourceContext =
    source.contexts?.find((c) => c.name === source['current-context']) ?? source.contexts?.[0];
  const cluster = source.clusters?.find((c) => c.name === sourceContext?.context?.cluster);
  const account = source.users?.find((u) => u.name === sourceContext?.context?.user);
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.cncfdemo-${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
