import { randomBytes } from 'node:crypto';
import { UserError } from '../errors/index.js';
import { isApiError, WriteError, type KubeClient } from '../kube/index.js';
import type { KubeObject } from '../kube/types.js';
import { COMPONENT, MANAGED_SELECTOR } from './labels.js';
import type { ClusterFacts, SecretToGenerate } from './plan.js';
import type { StackTarget } from './runner.js';

const SECRET = { apiVersion: 'v1', kind: 'Secret' } as const;
/** Owns what seeds set (a Deployment's first replica count), so that apply never resets it. */
const SEED_MANAGER = 'cncfdemo-seed';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The runner's view of a real cluster, through the kube client. */
export function clusterTarget(client: KubeClient): StackTarget {
  return {
    async apply(objects, signal) {
      try {
        const results = await client.apply(objects, { signal });
        return results.map((r) => r.object);
      } catch (err) {
        if (
          err instanceof WriteError &&
          /updates to statefulset spec for fields other than/.test(err.message)
        ) {
          throw new UserError(
            err.message,
            "a StatefulSet's storage cannot change in place; `cncfdemo stop` (which deletes MongoDB's data) and start again",
          );
        }
        throw err;
      }
    },
    waitReady(refs, options) {
      const objects: KubeObject[] = refs.map((r) => ({
        apiVersion: r.apiVersion,
        kind: r.kind,
        metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
      }));
      return client.waitReady(objects, {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        onProgress: (progress) => {
          const pending = progress.objects.find((o) => !o.done);
          if (pending) options.onPending(`waiting for ${pending.name}: ${pending.message}`);
        },
      });
    },
    async createIfAbsent(objects, signal) {
      try {
        await client.create(objects, { signal, fieldManager: SEED_MANAGER });
      } catch (err) {
        if (!(err instanceof WriteError) || err.failures.some((f) => !isApiError(f.error, 'AlreadyExists')))
          throw err;
      }
    },
    async ensureSecret(secret, signal) {
      if (await client.get(SECRET, secret.name, secret.namespace)) return 'exists';
      try {
        await client.create([generatedSecret(secret)], { signal });
        return 'created';
      } catch (err) {
        // another run created it meanwhile: theirs stays
        if (err instanceof WriteError && err.reason === 'AlreadyExists') return 'exists';
        throw err;
      }
    },
    async pruneJobs(component, namespace, keep, signal) {
      const jobs = await client.list(
        { apiVersion: 'batch/v1', kind: 'Job' },
        { namespace, labelSelector: `${MANAGED_SELECTOR},${COMPONENT}=${component}`, signal },
      );
      const superseded = jobs.filter((j) => !keep.includes(j.metadata.name ?? ''));
      if (superseded.length > 0) await client.deleteObjects(superseded, { wait: false, signal });
    },
  };
}

/** What planning needs to know about the cluster. */
export async function clusterFacts(client: KubeClient): Promise<ClusterFacts> {
  let classes: KubeObject[];
  try {
    classes = await client.list({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' });
  } catch (err) {
    if (isApiError(err) && (err.code === 403 || err.code === 404)) return { storageClasses: [] };
    throw err;
  }
  const defaultClass = classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  return {
    storageClasses: classes.map((c) => c.metadata.name ?? ''),
    ...(defaultClass?.metadata.name ? { defaultStorageClass: defaultClass.metadata.name } : {}),
  };
}

function generatedSecret(secret: SecretToGenerate): KubeObject {
  const stringData: Record<string, string> = { ...secret.literals };
  for (const key of secret.generate) stringData[key] = randomBytes(24).toString('base64url');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secret.name, namespace: secret.namespace, labels: secret.labels },
    type: 'Opaque',
    stringData,
  };
}
