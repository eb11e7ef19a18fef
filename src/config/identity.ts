/**
 * How cncfdemo names and marks what it makes, in one place: the label on every object it creates (what
 * `stop` removes), the kubeconfig context of each cluster, and its own version.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

/** Every object cncfdemo creates carries this label: `stop` removes exactly what has it. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'cncfdemo';
export const MANAGED_SELECTOR = `${MANAGED_BY}=${MANAGED_BY_VALUE}`;

/** Objects a benchmark run creates carry its run id under this label (what the run removes afterwards). */
export const RUN_LABEL = 'cncfdemo.io/run';

/** The labels that mark an object as cncfdemo's, to spread into an object's labels. */
export function managedLabels(): Record<string, string> {
  return { [MANAGED_BY]: MANAGED_BY_VALUE };
}

const CONTEXT_PREFIX = 'cncfdemo-';

/** The kubeconfig context of cluster `name` (`cluster create` writes it; `--cluster NAME` selects it). */
export function contextName(cluster: string): string {
  return `${CONTEXT_PREFIX}${cluster}`;
}

/** The cluster behind a context named by contextName, or undefined for any other context. */
export function clusterNameOf(context: string): string | undefined {
  return context.startsWith(CONTEXT_PREFIX) && context.length > CONTEXT_PREFIX.length
    ? context.slice(CONTEXT_PREFIX.length)
    : undefined;
}

/** Put into the bundles by scripts/build.ts (esbuild `define`); absent when running from source. */
declare const CNCFDEMO_VERSION: string | undefined;

/** The version in package.json (`--version`, run records); the bundles have it built in, unread at each start. */
export async function cncfdemoVersion(): Promise<string> {
  if (typeof CNCFDEMO_VERSION === 'string') return CNCFDEMO_VERSION;
  const raw = await readFile(join(packageRoot, 'package.json'), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

/** Put in by scripts/build.ts: a hash of the code the bundles were built from; absent when running from source. */
declare const CNCFDEMO_BUILD_ID: string | undefined;

/**
 * Names the build this process runs, for caches of what the code computes (the stack plan cache): a new
 * build never reads an older one's entries. Undefined when running from source, where such caches are off.
 */
export function buildId(): string | undefined {
  return typeof CNCFDEMO_BUILD_ID === 'string' ? CNCFDEMO_BUILD_ID : undefined;
}
