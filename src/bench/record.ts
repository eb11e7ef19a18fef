import type { RunEvent } from '../events/index.js';
import { runCost, type PriceTable } from '../report/cost.js';
import { phasesFromEvents } from '../report/store.js';
import {
  RUN_API_VERSION,
  type BenchmarkOptionsRecord,
  type NodeSummary,
  type RunRecord,
  type RunResults,
} from '../report/types.js';

export { cncfdemoVersion } from '../config/identity.js';

export interface RecordInput {
  id: string;
  version: string;
  provider: string;
  cluster: string | null;
  kubernetesVersion: string | null;
  nodes: NodeSummary;
  options: BenchmarkOptionsRecord;
  start: Date;
  end: Date;
  events: readonly RunEvent[];
  results: RunResults;
  prices: PriceTable;
}

/** Assembles the run record; the cost uses the price table unless --price-per-node-hour overrides it. */
export function buildRunRecord(input: RecordInput): RunRecord {
  return {
    apiVersion: RUN_API_VERSION,
    kind: 'BenchmarkRun',
    id: input.id,
    Metadata: {
      cncfdemoVersion: input.version,
      provider: input.provider,
      cluster: input.cluster,
      kubernetesVersion: input.kubernetesVersion,
      nodes: input.nodes,
      options: input.options,
      start: input.start.toISOString(),
      end: input.end.toISOString(),
    },
    events: phasesFromEvents(input.events),
    results: input.results,
    cost: runCost(input.prices, {
      provider: input.provider,
      instanceType: input.nodes.instanceType,
      nodes: input.nodes.count,
      start: input.start,
      end: input.end,
      requests: input.results.http?.requests ?? null,
      ...(input.options.pricePerNodeHour === null ? {} : { override: input.options.pricePerNodeHour }),
    }),
  };
}
