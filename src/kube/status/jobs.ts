import { apiGroup, controllerUid, type KubeObject } from '../types.js';
import { field } from './fields.js';

/** The label the Job controller puts the completion index under on an Indexed Job's pods. */
const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export function isJob(obj: KubeObject): boolean {
  return apiGroup(obj.apiVersion) === 'batch' && obj.kind === 'Job';
}

/**
 * Whether a Job's pods have done its work: as many of its pods Succeeded as it needs completions (that
 * many distinct indexes, for an Indexed Job). A Succeeded pod is final, so the Job will be Complete; but
 * the Job controller syncs a Job at most once a second after pod updates (its SyncJobBatchPeriod), and
 * with success tracking writes SuccessCriteriaMet and Complete in turn, so the condition comes up to a
 * second or more later. False whenever the pods cannot tell: a work-queue Job (no completions), a success
 * policy (the Job decides), or a suspended Job.
 */
export function jobPodsSucceeded(job: KubeObject, pods: readonly KubeObject[]): boolean {
  const uid = job.metadata.uid;
  const completions = field(job, 'spec.completions');
  if (uid === undefined || typeof completions !== 'number' || completions < 1) return false;
  if (field(job, 'spec.successPolicy') !== undefined || field(job, 'spec.suspend') === true) return false;
  const succeeded = pods.filter((p) => succeededPodOf(p, uid));
  if (field(job, 'spec.completionMode') !== 'Indexed') return succeeded.length >= completions;
  const indexes = new Set(succeeded.map((p) => p.metadata.labels?.[COMPLETION_INDEX]).filter(Boolean));
  return indexes.size >= completions;
}

/** A pod that the Job with this uid controls, and that has succeeded. */
export function succeededPodOf(pod: KubeObject, jobUid: string | undefined): boolean {
  return jobUid !== undefined && field(pod, 'status.phase') === 'Succeeded' && controllerUid(pod) === jobUid;
}
