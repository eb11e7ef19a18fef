import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
// The entry parser only: the package index also loads every generated API client (~300 ms at start-up).
import {
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type Context,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import { parse } from 'yaml';
import { errorMessage, UserError } from '../errors/index.js';

export type { Cluster, User };

export interface KubeconfigOptions {
  /** --kubeconfig: one file, which must exist. */
  kubeconfig?: string;
  /** --context: overrides the current context. */
  context?: string;
  /** -n/--namespace: overrides the context's namespace. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedKubeconfig {
  contextName: string;
  cluster: Cluster;
  user: User;
  /** The namespace for objects that name none: --namespace, else the context's, else `default`. */
  namespace: string;
  /** The files that were read, in precedence order. */
  files: readonly string[];
}

/** Which files kubectl would read: --kubeconfig, else each existing $KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigFiles(options: KubeconfigOptions): string[] {
  const env = options.env ?? process.env;
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) {
      throw new UserError(
        `kubeconfig ${options.kubeconfig} does not exist`,
        'pass an existing file to --kubeconfig',
      );
    }
    return [options.kubeconfig];
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  if (fromEnv.length > 0) return [...new Set(fromEnv)].filter((f) => existsSync(f));
  const home = env.HOME ?? homedir();
  const fallback = join(home, '.kube', 'config');
  return existsSync(fallback) ? [fallback] : [];
}

/**
 * Loads kubeconfig files the way kubectl does: for clusters, users and contexts the first file that
 * defines a name wins (later duplicates are ignored, not an error); the first file that sets
 * current-context wins; missing $KUBECONFIG entries are skipped.
 */
export function loadKubeconfig(options: KubeconfigOptions): ResolvedKubeconfig {
  const files = kubeconfigFiles(options);
  if (files.length === 0) {
    throw new UserError(
      'no kubeconfig found ($KUBECONFIG is empty or lists no existing file, and ~/.kube/config does not exist)',
      'create a cluster with: cncfdemo cluster create, or pass --kubeconfig FILE',
    );
  }
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    const part = readKubeconfig(file);
    for (const c of part.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of part.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of part.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === undefined && part.currentContext) currentContext = part.currentContext;
  }

  const contextName = options.context ?? currentContext;
  const where = files.length === 1 ? `kubeconfig ${files[0] ?? ''}` : `kubeconfig files ${files.join(', ')}`;
  const known = [...contexts.keys()];
  if (!contextName) {
    throw new UserError(
      `no current context is set in ${where}`,
      known.length > 0
        ? `pass --context (one of: ${known.join(', ')})`
        : 'create a cluster with: cncfdemo cluster create',
    );
  }
  const context = contexts.get(contextName);
  if (!context) {
    throw new UserError(
      `context "${contextName}" not found in ${where}`,
      known.length > 0
        ? `use one of: ${known.join(', ')}`
        : 'the kubeconfig has no contexts; create a cluster with: cncfdemo cluster create',
    );
  }
  const cluster = clusters.get(context.cluster);
  if (!cluster) {
    throw new UserError(
      `context "${contextName}" refers to cluster "${context.cluster}", which is missing or invalid in ${where}`,
      'fix the kubeconfig or choose another --context',
    );
  }
  const user = users.get(context.user);
  if (!user) {
    throw new UserError(
      `context "${contextName}" refers to user "${context.user}", which is missing or invalid in ${where}`,
      'fix the kubeconfig or choose another --context',
    );
  }
  const namespace = options.namespace ?? (context.namespace || 'default');
  return { contextName, cluster, user, namespace, files };
}

interface KubeconfigPart {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string | undefined;
}

/** One file, through client-node's entry parser; relative certificate paths resolved against the file. */
function readKubeconfig(file: string): KubeconfigPart {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(
      `cannot read kubeconfig ${file}: ${errorMessage(err)}`,
      'fix the file or point --kubeconfig elsewhere',
    );
  }
  const fields = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  // 'filter' drops malformed entries: kubectl, too, fails only on the entries it actually uses.
  const filter = { onInvalidEntry: 'filter' } as const;
  let users: User[];
  try {
    users = newUsers(fields.users, filter);
  } catch (err) {
    throw new UserError(
      `cannot read kubeconfig ${file}: ${errorMessage(err)}`,
      'check token-file entries in the kubeconfig',
    );
  }
  const base = dirname(file);
  const absolute = (path: string | undefined): string | undefined =>
    path && !isAbsolute(path) ? join(base, path) : path;
  const clusters = newClusters(fields.clusters, filter).map((c) => ({ ...c, caFile: absolute(c.caFile) }));
  for (const user of users) {
    user.certFile = absolute(user.certFile);
    user.keyFile = absolute(user.keyFile);
  }
  const current = fields['current-context'];
  return {
    clusters,
    users,
    contexts: newContexts(fields.contexts, filter),
    currentContext: typeof current === 'string' && current ? current : undefined,
  };
}
