import type { CheckResult, CheckStatus } from '../types.js';
import { STATUS_SEVERITY } from '../types.js';

/** One result from several parts (one per runtime, per sysctl, ...): the worst status, all evidence. */
export function combine(
  parts: readonly { status: CheckStatus; evidence: string[] }[],
  remediation: string,
): CheckResult {
  const status = worst(parts.map((p) => p.status));
  const evidence = parts.flatMap((p) => p.evidence);
  return status === 'PASS' || status === 'SKIP' ? { status, evidence } : { status, evidence, remediation };
}

export function worst(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.length === 0) return 'SKIP';
  const nonSkip = statuses.filter((s) => s !== 'SKIP');
  if (nonSkip.length === 0) return 'SKIP';
  return nonSkip.reduce((a, b) => (STATUS_SEVERITY[b] > STATUS_SEVERITY[a] ? b : a));
}
