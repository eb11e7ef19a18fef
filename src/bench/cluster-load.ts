import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { managedLabels, RUN_LABEL } from '../config/identity.js';
import type { KubeObject } from '../kube/index.js';
import { parseYamlDocuments, renderTemplateFile } from '../templates/index.js';
import { K6_SCRIPT } from './k6/run.js';
import { WRK_SCRIPT } from './wrk/run.js';
import { METRICS_LOG_MARKER } from './wrk/log-check.js';

export const LOAD_JOB_TEMPLATE = join(packageRoot, 'manifests', 'bench', 'wrk-job.yaml.j2');

export interface LoadJobOptions {
  runId: string;
  /** Where the Job runs (the stack's namespace) and where the Pushgateway is. */
  namespace: string;
  monitoringNamespace: string;
  parallelism: number;
  threads: number;
  connections: number;
  durationSeconds: number;
  /** Default: the Countly API service in the stack's namespace. */
  target?: string;
  /** Open model: total requests/s over all pods (k6). */
  rate?: number;
  appKey?: string;
  /** From the stack's values (loadgen.wrkImage / k6Image). */
  wrkImage: string;
  k6Image: string;
}

/**
 * CPU the scheduler reserves per load generator pod: a quarter core per wrk thread (k6: a quarter core).
 * wrk has no CPU limit and takes whatever is idle; the request only has to be small enough that the load
 * fits beside the stack on a small node (preempting background work, as foreground work does).
 */
export function loadCpuRequest(threads: number, rate: number | undefined): string {
  return rate === undefined ? `${threads * 250}m` : '250m';
}

/** The in-cluster load: a ConfigMap with the generator scripts and the Job running them (rendered from data). */
export async function loadJobObjects(options: LoadJobOptions): Promise<KubeObject[]> {
  // Object names are lower case; run ids carry upper-case T and Z (labels and the Pushgateway keep the id).
  const name = `cncfdemo-loadgen-${options.runId.toLowerCase()}`;
  const scriptsConfigMap = `cncfdemo-loadgen-scripts-${options.runId.toLowerCase()}`;
  const values = {
    run_id: options.runId,
    name,
    namespace: options.namespace,
    monitoring_namespace: options.monitoringNamespace,
    parallelism: options.parallelism,
    threads: options.threads,
    connections: options.connections,
    duration_seconds: Math.ceil(options.durationSeconds),
    target: options.target ?? `http://countly-api.${options.namespace}:3001`,
    rate: options.rate ?? null,
    rate_per_pod: options.rate === undefined ? null : options.rate / options.parallelism,
    app_key: options.appKey ?? 'cncfdemo',
    wrk_image: options.wrkImage,
    k6_image: options.k6Image,
    cpu_request: loadCpuRequest(options.threads, options.rate),
    metrics_log_marker: METRICS_LOG_MARKER,
    priority_class_name: 'cncfdemo-foreground',
    scripts_configmap: scriptsConfigMap,
  };
  const text = await renderTemplateFile(LOAD_JOB_TEMPLATE, { values });
  const job = parseYamlDocuments(text, { file: LOAD_JOB_TEMPLATE, rendered: true }).map(
    (d) => d.value as KubeObject,
  );
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: scriptsConfigMap,
      namespace: options.namespace,
      labels: { ...managedLabels(), [RUN_LABEL]: options.runId },
    },
    data: {
      'countly.lua': await readFile(WRK_SCRIPT, 'utf8'),
      'countly-k6.js': await readFile(K6_SCRIPT, 'utf8'),
    },
  };
  return [configMap, ...job];
}
