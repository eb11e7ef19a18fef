import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { errorMessage, UserError } from '../errors/index.js';

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
  config: KubeConfig;
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
export async function loadKubeconfig(options: KubeconfigOptions): Promise<ResolvedKubeconfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
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
    const part = new KubeConfig();
    try {
      // 'filter' drops malformed entries, as kubectl only fails on the entries it actually uses.
      part.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (err) {
      throw new UserError(
        `cannot read kubeconfig ${file}: ${errorMessage(err)}`,
        'fix the file or point --kubeconfig elsewhere',
      );
    }
    for (const c of part.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of part.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of part.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    // js-yaml gives `undefined` or `null` for an unset current-context.
    const current = part.getCurrentContext() as string | null | undefined;
    if (currentContext === undefined && current) currentContext = current;
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
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: contextName,
  });
  const namespace = options.namespace ?? (context.namespace || 'default');
  return { config, contextName, cluster, user, namespace, files };
}
