import type { Condition } from '../types.js';

/** kstatus statuses (sigs.k8s.io/cli-utils/pkg/kstatus). */
export type Status = 'InProgress' | 'Current' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown';

export interface StatusResult {
  status: Status;
  message: string;
  /** kstatus' abnormal-true conditions: Reconciling (in progress) or Stalled (failed), with the reason. */
  conditions: Condition[];
}

export function current(message: string): StatusResult {
  return { status: 'Current', message, conditions: [] };
}

export function inProgress(reason: string, message: string): StatusResult {
  return {
    status: 'InProgress',
    message,
    conditions: [{ type: 'Reconciling', status: 'True', reason, message }],
  };
}

export function failed(reason: string, message: string): StatusResult {
  return { status: 'Failed', message, conditions: [{ type: 'Stalled', status: 'True', reason, message }] };
}
