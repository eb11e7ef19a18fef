import { parse } from 'yaml';
import type { CliResult } from '../../helpers/cli.js';

/** One component's line of the timeline `start` prints. */
export interface TimelineRow {
  name: string;
  appliedS: number;
  readyS: number;
}

/** Reads `stack ready in N s` and the timeline table from start's stderr. */
export function parseStart(result: CliResult): { totalS: number; rows: TimelineRow[] } {
  const total = /stack ready in ([\d.]+)s/.exec(result.stderr);
  if (!total) throw new Error(`start did not report readiness:\n${result.stderr}`);
  const rows = [...result.stderr.matchAll(/^ {2}([a-z0-9-]+)\s+([\d.]+)s\s+([\d.]+)s\s+[\d.]+s$/gm)].map(
    (m) => ({
      name: m[1] ?? '',
      appliedS: Number(m[2]),
      readyS: Number(m[3]),
    }),
  );
  return { totalS: Number(total[1]), rows };
}

export interface ListedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion: string;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function items(json: string): ListedObject[] {
  return (JSON.parse(json) as { items: ListedObject[] }).items;
}

/** The kinds the stack creates, for kubectl get. */
export const STACK_KINDS =
  'namespaces,priorityclasses,clusterroles,clusterrolebindings,serviceaccounts,configmaps,secrets,services,deployments,statefulsets,daemonsets,jobs,horizontalpodautoscalers,ingresses,persistentvolumeclaims';

export function yamlDocuments(text: string): unknown[] {
  return text
    .split(/^---$/m)
    .map((d) => parse(d) as unknown)
    .filter((d) => d !== null && d !== undefined);
}
