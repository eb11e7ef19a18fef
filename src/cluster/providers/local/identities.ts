import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../../config/paths.js';
import { loadManifests } from '../../../inputs/index.js';
import { connect } from '../../../kube/index.js';
import { componentIdentityArgs, type ExtraArg } from './config.js';
import { COMPONENT_USERS, type ClusterPki, type IdentifiedComponent } from './pki.js';

const RBAC_TIMEOUT_MS = 120_000;
const RBAC_RETRY_MS = 250;

/**
 * Applies kwok's rights (manifests/cluster/kwok-rbac.yaml) as the admin as soon as the API server answers.
 * It runs beside the kwokctl command that starts the control plane: kwok starts with the API server and
 * retries its first list of nodes for about 30 s, so it gets its rights before it gives up. The objects
 * live in etcd: later starts re-apply them unchanged.
 */
export async function grantKwokRights(adminKubeconfig: string, signal: AbortSignal): Promise<void> {
  const manifests = await loadManifests({
    filenames: [join(packageRoot, 'manifests', 'cluster', 'kwok-rbac.yaml')],
  });
  const objects = manifests.map((m) => m.object);
  const deadline = Date.now() + RBAC_TIMEOUT_MS;
  for (;;) {
    try {
      const client = await connect({ kubeconfig: adminKubeconfig });
      try {
        await client.apply(objects, { fieldManager: 'cncfdemo-cluster', signal });
        return;
      } finally {
        client.close();
      }
    } catch (err) {
      signal.throwIfAborted();
      if (Date.now() > deadline) {
        throw new Error(
          `kwok's RBAC (user ${COMPONENT_USERS['kwok-controller']}) could not be applied within ${RBAC_TIMEOUT_MS / 1000} s: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, RBAC_RETRY_MS));
    }
  }
}

/**
 * Points the components kwokctl saved for a cluster at their own users (as kwokctlConfig does for a new
 * one): a cluster made before they had users of their own ran them all as the admin. Returns the
 * components whose arguments changed (they run as the admin until restarted). The certificates and
 * kubeconfigs come from ensureComponentIdentities.
 */
export async function adoptComponentIdentities(
  kwokYaml: string,
  pki: ClusterPki,
): Promise<IdentifiedComponent[]> {
  const text = await readFile(kwokYaml, 'utf8');
  const docs = parseAllDocuments(text);
  const changed: IdentifiedComponent[] = [];
  for (const doc of docs) {
    const saved = doc.toJS() as { kind?: string; components?: { name?: string; args?: string[] }[] } | null;
    if (saved?.kind !== 'KwokctlConfiguration') continue;
    (saved.components ?? []).forEach((c, i) => {
      if (typeof c.name !== 'string' || !(c.name in COMPONENT_USERS)) return;
      const component = c.name as IdentifiedComponent;
      const before = c.args ?? [];
      const after = withArgs(before, componentIdentityArgs(pki, component));
      if (after.join('\n') === before.join('\n')) return;
      doc.setIn(['components', i, 'args'], doc.createNode(after));
      changed.push(component);
    });
  }
  // kwokctl's own layout (sequences not indented), so the file changes only where the arguments do
  if (changed.length > 0)
    await writeFile(kwokYaml, docs.map((d) => d.toString({ indentSeq: false })).join(''));
  return changed;
}

/** Command-line `args` with each of `extra` set: every `--key=` of it replaced, or appended when absent. */
export function withArgs(args: readonly string[], extra: readonly ExtraArg[]): string[] {
  let result = [...args];
  for (const { key, value } of extra) {
    const flag = `--${key}=`;
    const wanted = `${flag}${value}`;
    if (result.some((a) => a.startsWith(flag))) {
      result = result.map((a) => (a.startsWith(flag) ? wanted : a));
    } else result.push(wanted);
  }
  return result;
}
