import { MANAGED_BY, MANAGED_BY_VALUE, MANAGED_SELECTOR } from '../config/identity.js';
import { POD_TEMPLATE_KINDS } from '../kube/kinds.js';
import type { KubeObject } from '../kube/types.js';
import { isObject } from '../kube/types.js';
import type { StackValues, Toleration } from './values.js';

export { MANAGED_BY, MANAGED_BY_VALUE, MANAGED_SELECTOR } from '../config/identity.js';
export const PART_OF = 'app.kubernetes.io/part-of';
export const PART_OF_VALUE = 'cncfdemo';
export const COMPONENT = 'app.kubernetes.io/component';
export const STACK_SELECTOR = `${MANAGED_SELECTOR},${PART_OF}=${PART_OF_VALUE}`;

export function stackLabels(component: string): Record<string, string> {
  return { [MANAGED_BY]: MANAGED_BY_VALUE, [PART_OF]: PART_OF_VALUE, [COMPONENT]: component };
}

/**
 * Adds the stack's labels to the object, its pod template and its volume claim templates (so PVCs created
 * by StatefulSets are found by `stop`), and merges the placement into the pod spec. Returns a new object.
 */
export function decorate(
  obj: KubeObject,
  component: string,
  placement: StackValues['placement'],
): KubeObject {
  const labels = stackLabels(component);
  const copy = structuredClone(obj);
  copy.metadata.labels = { ...copy.metadata.labels, ...labels };
  if (!POD_TEMPLATE_KINDS.has(copy.kind)) return copy;
  const spec = isObject(copy.spec) ? copy.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const templateMeta = isObject(template.metadata) ? template.metadata : {};
  templateMeta.labels = { ...(templateMeta.labels as Record<string, string> | undefined), ...labels };
  template.metadata = templateMeta;
  const podSpec = isObject(template.spec) ? template.spec : {};
  place(podSpec, placement);
  template.spec = podSpec;
  spec.template = template;
  if (Array.isArray(spec.volumeClaimTemplates)) {
    for (const claim of spec.volumeClaimTemplates as unknown[]) {
      if (!isObject(claim)) continue;
      const meta = isObject(claim.metadata) ? claim.metadata : {};
      meta.labels = { ...(meta.labels as Record<string, string> | undefined), ...labels };
      claim.metadata = meta;
    }
  }
  copy.spec = spec;
  return copy;
}

function place(podSpec: Record<string, unknown>, placement: StackValues['placement']): void {
  if (Object.keys(placement.nodeSelector).length > 0) {
    podSpec.nodeSelector = {
      ...(podSpec.nodeSelector as Record<string, string> | undefined),
      ...placement.nodeSelector,
    };
  }
  if (placement.tolerations.length > 0) {
    const existing = (podSpec.tolerations as Toleration[] | undefined) ?? [];
    const key = (t: Toleration): string => JSON.stringify([t.key, t.operator, t.value, t.effect]);
    const seen = new Set(existing.map(key));
    podSpec.tolerations = [...existing, ...placement.tolerations.filter((t) => !seen.has(key(t)))];
  }
}
