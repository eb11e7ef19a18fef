import { conditionsOf, type KubeObject } from '../types.js';
import { field } from './fields.js';
import { inProgress, type StatusResult } from './result.js';

/**
 * Rules that apply to every kind: deletion, metadata.generation vs status.observedGeneration, and the
 * standard Reconciling/Stalled conditions. Undefined when they cannot decide.
 */
export function genericStatus(obj: KubeObject): StatusResult | undefined {
  if (obj.metadata.deletionTimestamp) {
    return { status: 'Terminating', message: 'Resource scheduled for deletion', conditions: [] };
  }
  const generation = field(obj, 'metadata.generation');
  const observed = field(obj, 'status.observedGeneration');
  if (typeof generation === 'number' && typeof observed === 'number' && generation !== observed) {
    return inProgress(
      'LatestGenerationNotObserved',
      `${obj.kind} generation is ${generation}, but latest observed generation is ${observed}`,
    );
  }
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Reconciling' && c.status === 'True') {
      return { status: 'InProgress', message: c.message ?? '', conditions: [{ ...c, type: 'Reconciling' }] };
    }
    if (c.type === 'Stalled' && c.status === 'True') {
      return { status: 'Failed', message: c.message ?? '', conditions: [{ ...c, type: 'Stalled' }] };
    }
  }
  return undefined;
}

/** Controllers that always set both fields once they act; their absence means "not observed yet". */
export function requireGeneration(obj: KubeObject): StatusResult | undefined {
  if (typeof field(obj, 'metadata.generation') !== 'number') {
    return inProgress('NoGeneration', `${obj.kind} metadata.generation not found`);
  }
  if (typeof field(obj, 'status.observedGeneration') !== 'number') {
    return inProgress('NoObservedGeneration', `${obj.kind} status.observedGeneration not found`);
  }
  return undefined;
}

/** Kinds without specific rules: a `Ready` condition, when present, decides; otherwise the object is current. */
export function fallbackStatus(obj: KubeObject): StatusResult {
  const ready = conditionsOf(obj).find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') {
    return inProgress(ready.reason || 'NotReady', ready.message || `${obj.kind} is not Ready`);
  }
  return { status: 'Current', message: 'Resource is current', conditions: [] };
}
