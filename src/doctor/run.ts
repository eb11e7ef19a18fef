import { settingsRegion } from '../aws/settings.js';
import { errorMessage } from '../errors/index.js';
import { type EventStream, tracked } from '../events/index.js';
import type {
  Check,
  CheckNeed,
  CheckReport,
  CheckResult,
  CheckStatus,
  ClusterContext,
  DoctorReport,
  NodeContext,
} from './types.js';
import { fail, skip, STATUS_SEVERITY } from './types.js';

export interface RunChecksOptions {
  checks: readonly Check[];
  /** The root filesystem: what a check that needs `root` reads. */
  node?: NodeContext;
  /** What cluster checks read: a Kubernetes client if one was loaded (`kube`), AWS settings (`aws`). */
  cluster?: ClusterContext;
  events?: EventStream;
}

/**
 * The first of `needs` this run cannot meet, and why; undefined when all are met. The context passed in
 * gets the AWS region resolved from the env, so `aws` checks read it from ctx.aws.region.
 */
export function unmetNeed(
  needs: readonly CheckNeed[],
  options: Pick<RunChecksOptions, 'node' | 'cluster'>,
): { need: CheckNeed; reason: string } | undefined {
  const why: Record<CheckNeed, () => string | undefined> = {
    root: () =>
      options.node ? undefined : 'no root filesystem to read (node checks read --root, default /)',
    kube: () =>
      options.cluster?.cluster
        ? undefined
        : (options.cluster?.clusterUnavailable ?? 'no kubeconfig context was loaded'),
    aws: () =>
      options.cluster && settingsRegion(options.cluster.aws)
        ? undefined
        : 'no AWS region configured (--aws-region, AWS_REGION or AWS_DEFAULT_REGION): not an AWS cluster',
  };
  for (const need of needs) {
    const reason = why[need]();
    if (reason !== undefined) return { need, reason };
  }
  return undefined;
}

/**
 * Runs checks one after another (node checks share cached facts; cluster probes must not pile up),
 * each between start/end events of scope "doctor". A check whose needs the run cannot meet SKIPs with
 * the reason (or FAILs, if that is its finding); a check that throws is reported as FAIL, never ending the run.
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
  const unmet = unmetNeed(check.needs, options);
  if (unmet) {
    // A FAIL is the check's own finding (its evidence the reason); a SKIP says which need was missing.
    if (check.unmetFails) return fail([unmet.reason], check.unmetFails.remediation);
    return skip(`needs ${unmet.need}: ${unmet.reason}`);
  }
  try {
    if (check.scope === 'node') {
      if (!options.node) throw new Error('node check selected without a root filesystem');
      return await check.run(options.node);
    }
    if (!options.cluster) throw new Error('cluster check selected without cluster settings');
    const { aws } = options.cluster;
    const region = settingsRegion(aws);
    return await check.run({ ...options.cluster, aws: region ? { ...aws, region } : aws });
  } catch (err) {
    return {
      status: 'FAIL',
      evidence: [`the check could not complete: ${errorMessage(err)}`],
      remediation:
        'Rerun with --debug; if the error is in cncfdemo itself, please report it with this output.',
    };
  }
}
