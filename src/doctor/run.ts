import { errorMessage } from '../errors/index.js';
import { type EventStream, tracked } from '../events/index.js';
import type {
  Check,
  CheckReport,
  CheckResult,
  CheckStatus,
  ClusterContext,
  DoctorReport,
  NodeContext,
} from './types.js';
import { STATUS_SEVERITY } from './types.js';

export interface RunChecksOptions {
  checks: readonly Check[];
  /** Needed when any node check is selected. */
  node?: NodeContext;
  /** Needed when any cluster check is selected. */
  cluster?: ClusterContext;
  events?: EventStream;
}

/**
 * Runs checks one after another (node checks share cached facts; cluster probes must not pile up),
 * each between start/end events of scope "doctor". A check that throws is reported as FAIL, never
 * ending the run.
 */
export async function runChecks(options: RunChecksOptions): Promise<DoctorReport> {
  const reports: CheckReport[] = [];
  for (const check of options.checks) {
    const started = Date.now();
    const result = await tracked(options.events, 'doctor', check.id, check.title, async (progress) => {
      const r = await runOne(check, options);
      progress(`${r.status}: ${r.evidence[0] ?? ''}`);
      return r;
    });
    reports.push({
      id: check.id,
      title: check.title,
      area: check.area,
      scope: check.scope,
      ...result,
      durationMs: Date.now() - started,
    });
  }
  const counts: Record<CheckStatus, number> = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
  for (const r of reports) counts[r.status]++;
  const verdict = (Object.keys(counts) as CheckStatus[])
    .filter((s) => counts[s] > 0)
    .reduce<CheckStatus>((a, b) => (STATUS_SEVERITY[b] > STATUS_SEVERITY[a] ? b : a), 'SKIP');
  return {
    apiVersion: 'cncfdemo.io/v1alpha1',
    kind: 'DoctorReport',
    ...(options.node ? { root: options.node.root.path } : {}),
    verdict,
    counts,
    checks: reports,
  };
}

async function runOne(check: Check, options: RunChecksOptions): Promise<CheckResult> {
  try {
    if (check.scope === 'node') {
      if (!options.node) throw new Error('node check selected without a root filesystem');
      return await check.run(options.node);
    }
    if (!options.cluster) throw new Error('cluster check selected without cluster settings');
    return await check.run(options.cluster);
  } catch (err) {
    return {
      status: 'FAIL',
      evidence: [`the check could not complete: ${errorMessage(err)}`],
      remediation:
        'Rerun with --debug; if the error is in cncfdemo itself, please report it with this output.',
    };
  }
}
