/**
 * The doctor facade: selects checks, builds their node and cluster contexts, and returns the report.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError, errorMessage } from '../errors/index.js';
import type { EventStream } from '../events/index.js';
import { exec as defaultExec, type Exec } from '../exec/index.js';
import type { ClusterReader } from '../doctor/cluster/reader.js';
import { kubeClusterReader } from '../doctor/cluster/kube-reader.js';
import { loadDoctorData } from '../doctor/data.js';
import { nodeContext } from '../doctor/node/context.js';
import { CHECKS, checkIds, findCheck } from '../doctor/registry.js';
import { runChecks } from '../doctor/run.js';
import { PROBE_IMAGE } from '../doctor/checks/dns-resolution.js';
import type { AwsSettings, Check, CheckNeed, ClusterContext, DoctorReport } from '../doctor/types.js';

export type { CheckReport, CheckStatus, DoctorReport } from '../doctor/types.js';
export { formatJson, formatTable } from '../doctor/format.js';

export interface DoctorOptions {
  /** Run the cluster checks (API, nodes, DNS, routing, AWS) instead of the node checks. */
  cluster?: boolean;
  /** Run only these checks, whatever their scope. */
  checks?: readonly string[];
  /** Root filesystem the node checks read; default `/`. */
  root?: string;
  kubeconfig?: string;
  context?: string;
  awsRegion?: string;
  awsEndpoint?: string;
  awsClusterName?: string;
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  events?: EventStream;
  signal?: AbortSignal;
  /** A ready cluster reader (tests, the web dashboard); otherwise one is built from the kubeconfig. */
  clusterReader?: ClusterReader;
  /** Where check definitions are read from; default the package's data/doctor. */
  dataDir?: string;
  /** Image of the in-cluster probe pods (default busybox:1.36). */
  probeImage?: string;
}

/** Selects checks the way the CLI does: --check ids, else node checks, or cluster checks with `cluster`. */
export function selectChecks(options: Pick<DoctorOptions, 'cluster' | 'checks'>): Check[] {
  if (options.checks && options.checks.length > 0) {
    return options.checks.map((id) => {
      const check = findCheck(id);
      if (!check) throw new UserError(`unknown check "${id}"`, `valid checks: ${checkIds().join(', ')}`);
      return check;
    });
  }
  const scope = options.cluster ? 'cluster' : 'node';
  return CHECKS.filter((c) => c.scope === scope);
}

/** Runs the selected doctor checks and returns the report; it never throws for a FAIL, only for bad input. */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks = selectChecks(options);
  const env = options.env ?? process.env;
  const data = await loadDoctorData(options.dataDir);
  // Each check declares what it needs (doctor/types.ts, CheckNeed): only that is built.
  const needs = new Set<CheckNeed>(checks.flatMap((c): readonly CheckNeed[] => c.needs));
  const needsNode = needs.has('root');
  const needsCluster = checks.some((c) => c.scope === 'cluster');

  const node = needsNode
    ? nodeContext(await validRoot(options.root ?? '/'), options.exec ?? defaultExec, data)
    : undefined;
  let cluster: ClusterContext | undefined;
  let close: (() => void) | undefined;
  if (needsCluster) {
    const aws: AwsSettings = {
      env,
      ...(options.awsRegion ? { region: options.awsRegion } : {}),
      ...(options.awsEndpoint ? { endpoint: options.awsEndpoint } : {}),
      ...(options.awsClusterName ? { clusterName: options.awsClusterName } : {}),
    };
    cluster = {
      aws,
      data,
      probeImage: options.probeImage ?? PROBE_IMAGE,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    if (options.clusterReader) cluster.cluster = options.clusterReader;
    else if (needs.has('kube')) {
      try {
        const reader = await kubeClusterReader({
          env,
          ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
          ...(options.context ? { context: options.context } : {}),
        });
        cluster.cluster = reader;
        close = () => {
          reader.close();
        };
      } catch (err) {
        cluster.clusterUnavailable = errorMessage(err);
      }
    }
  }
  try {
    return await runChecks({
      checks,
      ...(node ? { node } : {}),
      ...(cluster ? { cluster } : {}),
      ...(options.events ? { events: options.events } : {}),
    });
  } finally {
    close?.();
  }
}

async function validRoot(root: string): Promise<string> {
  const path = resolve(root);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserError(
      `--root ${root} is not a directory`,
      'pass the path of a root filesystem (default /), e.g. a mounted node image',
    );
  }
  return path;
}
