import type { AwsSettings as AwsClientSettings } from '../aws/settings.js';
import type { Exec } from '../exec/index.js';
import type { ClusterReader } from './cluster/reader.js';
import type { DoctorData } from './data.js';
import type { KubeletFacts } from './node/kubelet.js';
import type { RootFs } from './node/rootfs.js';
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

/** What node checks read: a root filesystem (the live host at `/`, or a fixture tree) and its proc/sys. */
export interface NodeContext {
  root: RootFs;
  /** The root is the running host, so binaries under it may be executed (e.g. `containerd --version`). */
  live: boolean;
  exec: Exec;
  data: DoctorData;
  /** Read once per run and shared by the checks. */
  kubelet(): Promise<KubeletFacts>;
  runtimes(): Promise<RuntimeFacts[]>;
}

export interface AwsSettings extends AwsClientSettings {
  /** Only look at resources tagged for this cluster; every cluster found otherwise. */
  clusterName?: string;
}

export interface ClusterContext {
  /** Undefined when no kubeconfig context could be loaded; cluster checks SKIP with `clusterUnavailable`. */
  cluster?: ClusterReader;
  clusterUnavailable?: string;
  aws: AwsSettings;
  data: DoctorData;
  /** The image of in-cluster probe pods (needs sh, nslookup, wget, httpd: a busybox). */
  probeImage: string;
  signal?: AbortSignal;
}

interface CheckBase {
  id: string;
  title: string;
  area: CheckArea;
}

export interface NodeCheck extends CheckBase {
  scope: 'node';
  run(ctx: NodeContext): Promise<CheckResult>;
}

export interface ClusterCheck extends CheckBase {
  scope: 'cluster';
  run(ctx: ClusterContext): Promise<CheckResult>;
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
