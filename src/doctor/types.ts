import type { AwsSettings as AwsClientSettings } from '../aws/settings.js';
import type { ClusterReader } from './cluster/reader.js';
import type { DoctorData } from './data.js';
import type { KubeletFacts } from './node/kubelet.js';
import type { NodeHost } from './node/host.js';
import type { RuntimeFacts } from './node/runtimes.js';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** Worst first: the order a verdict is chosen in. */
export const STATUS_SEVERITY: Record<CheckStatus, number> = { FAIL: 3, WARN: 2, PASS: 1, SKIP: 0 };

export interface CheckResult {
  status: CheckStatus;
  /** What the check saw, one observation per line (file paths, values, versions). */
  evidence: string[];
  /** How to fix a WARN or FAIL; the seeds' fix where they give one. */
  remediation?: string;
}

export type CheckArea = 'storage' | 'network' | 'security' | 'runtime' | 'host' | 'cluster' | 'aws';

export type CheckScope = 'node' | 'cluster';

/**
 * What a check needs to run, as data: `root` a root filesystem to read (ctx.root: the node checks), `kube` a
 * Kubernetes client (ctx.cluster), `aws` an AWS region to query (ctx.aws.region, from --aws-region or the
 * env). api/doctor.ts builds only what the selected checks need; runChecks (run.ts) SKIPs a check whose need
 * the run cannot meet, saying which need and why, and runs the others with what they need present.
 */
export type CheckNeed = 'root' | 'kube' | 'aws';

/** What node checks read: the host's root filesystem, and its kubelet and runtime facts read once per run. */
export interface NodeContext extends NodeHost {
  kubelet(): Promise<KubeletFacts>;
  runtimes(): Promise<RuntimeFacts[]>;
}

export interface AwsSettings extends AwsClientSettings {
  /** Only look at resources tagged for this cluster; every cluster found otherwise. */
  clusterName?: string;
}

export interface ClusterContext {
  /** Undefined when no kubeconfig context could be loaded (why: `clusterUnavailable`), or none was needed. */
  cluster?: ClusterReader;
  clusterUnavailable?: string;
  aws: AwsSettings;
  data: DoctorData;
  /** The image of in-cluster probe pods (needs sh, nslookup, wget, httpd: a busybox). */
  probeImage: string;
  signal?: AbortSignal;
}

/** The context as a check with the needs N sees it: what it needs is there (runChecks made sure). */
export type ClusterContextFor<N extends CheckNeed> = ClusterContext &
  ('kube' extends N ? { cluster: ClusterReader } : unknown) &
  ('aws' extends N ? { aws: AwsSettings & { region: string } } : unknown);

interface CheckBase {
  id: string;
  title: string;
  area: CheckArea;
  needs: readonly CheckNeed[];
  /**
   * How an unmet need is reported: SKIP, unless the check's finding is that very lack (api-server: a
   * cluster that cannot be reached is a FAIL, with this remediation).
   */
  unmetFails?: { remediation: string };
}

export interface NodeCheck extends CheckBase {
  scope: 'node';
  needs: readonly ['root'];
  run(ctx: NodeContext): Promise<CheckResult>;
}

export interface ClusterCheck extends CheckBase {
  scope: 'cluster';
  needs: readonly Exclude<CheckNeed, 'root'>[];
  run(ctx: ClusterContext): Promise<CheckResult>;
}

type ClusterCheckDefinition<N extends Exclude<CheckNeed, 'root'>> = Omit<
  ClusterCheck,
  'scope' | 'needs' | 'run'
> & {
  needs: readonly N[];
  run(ctx: ClusterContextFor<N>): Promise<CheckResult>;
};

/** A cluster check whose run() gets its needs typed as present (`ctx.cluster` for `kube`, ...). */
export function clusterCheck<const N extends Exclude<CheckNeed, 'root'>>(
  definition: ClusterCheckDefinition<N>,
): ClusterCheck {
  return {
    ...definition,
    scope: 'cluster',
    // runChecks runs a check only when its needs are met (unmetNeed in run.ts), which is what this cast states.
    run: (ctx) => definition.run(ctx as ClusterContextFor<N>),
  };
}

export type Check = NodeCheck | ClusterCheck;

export interface CheckReport extends CheckResult {
  id: string;
  title: string;
  area: CheckArea;
  scope: CheckScope;
  durationMs: number;
}

export interface DoctorReport {
  apiVersion: 'cncfdemo.io/v1alpha1';
  kind: 'DoctorReport';
  /** The root filesystem node checks read; absent when only cluster checks ran. */
  root?: string;
  verdict: CheckStatus;
  counts: Record<CheckStatus, number>;
  checks: CheckReport[];
}

export const pass = (evidence: string[]): CheckResult => ({ status: 'PASS', evidence });
export const skip = (reason: string, evidence: string[] = []): CheckResult => ({
  status: 'SKIP',
  evidence: [reason, ...evidence],
});
export const warn = (evidence: string[], remediation: string): CheckResult => ({
  status: 'WARN',
  evidence,
  remediation,
});
export const fail = (evidence: string[], remediation: string): CheckResult => ({
  status: 'FAIL',
  evidence,
  remediation,
});
