import type { KubeClient, KubeObject } from '../kube/index.js';
import { STACK_SELECTOR } from './labels.js';
import type { StackValues } from './values.js';

/**
 * What `start` deployed, kept in the cluster beside it: a ConfigMap in the stack's namespace (part of the
 * foundation component, so `stop` removes it) with the values the stack was planned with and the components
 * those values left out. `status` says what is disabled from it; `benchmark` finds the stack's namespaces,
 * its Prometheus and the load generator images there. Values hold no secrets (the BOINC key is never one).
 */
export const STACK_RECORD_NAME = 'cncfdemo-stack';

export interface StackRecord {
  values: StackValues;
  /** Components the values left out, with the values path of their `when`. */
  leftOut: { name: string; when: string }[];
}

export function stackRecordObject(namespace: string, record: StackRecord): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: STACK_RECORD_NAME, namespace },
    data: { 'record.json': `${JSON.stringify(record, null, 2)}\n` },
  };
}

/** The record in a ConfigMap, if it is one (undefined for any other object or a record edited beyond use). */
export function parseStackRecord(obj: KubeObject): StackRecord | undefined {
  if (obj.kind !== 'ConfigMap' || obj.metadata.name !== STACK_RECORD_NAME) return undefined;
  const text = (obj.data as Record<string, string> | undefined)?.['record.json'];
  try {
    const parsed = text ? (JSON.parse(text) as Partial<StackRecord>) : undefined;
    if (!parsed?.values || !Array.isArray(parsed.leftOut)) return undefined;
    return { values: parsed.values, leftOut: parsed.leftOut };
  } catch {
    return undefined;
  }
}

/** The record of the stack deployed on the cluster (any namespace), or undefined when none is. */
export async function readStackRecord(client: KubeClient): Promise<StackRecord | undefined> {
  const found = await client.list('configmaps', {
    allNamespaces: true,
    labelSelector: STACK_SELECTOR,
    fieldSelector: `metadata.name=${STACK_RECORD_NAME}`,
  });
  for (const obj of found) {
    if (obj.metadata.deletionTimestamp) continue;
    const record = parseStackRecord({ ...obj, kind: 'ConfigMap' });
    if (record) return record;
  }
  return undefined;
}
