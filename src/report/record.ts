/**
 * Assembles a benchmark's run record from what the run measured, its events and the price table.
 */
import { readRecord } from '../cluster/record.js';
import type { RunEvent } from '../events/index.js';
import { runCost, type PriceTable } from './cost.js';
import { phasesFromEvents } from './store.js';
import {
  type BenchmarkOptionsRecord,
  type MachineGroup,
  type NodeSummary,
  RUN_API_VERSION,
  type RunRecord,
  type RunResults,
} from '../model/run-record.js';

export interface RecordInput {
  id: string;
  version: string;
  provider: string;
  cluster: string | null;
  kubernetesVersion: string | null;
  nodes: NodeSummary;
  /** From the cluster's record in the home, when it has them (aws). */
  region?: string;
  machines?: MachineGroup[];
  options: BenchmarkOptionsRecord;
  start: Date;
  end: Date;
  events: readonly RunEvent[];
  results: RunResults;
  prices: PriceTable;
}

/**
 * Assembles the run record; the cost uses the price table (per machine group when the cluster's record gives
 * them) unless --price-per-node-hour overrides it.
 */
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
      ...(input.region === undefined ? {} : { region: input.region }),
      ...(input.machines === undefined ? {} : { machines: input.machines }),
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
      ...(input.machines === undefined ? {} : { machines: input.machines }),
      start: input.start,
      end: input.end,
      requests: input.results.http?.requests ?? null,
      ...(input.options.pricePerNodeHour === null ? {} : { override: input.options.pricePerNodeHour }),
    }),
  };
}

/**
 * What the cluster's record in this home says the benchmarked cluster runs on: its provider, region and
 * machines by role (aws), so that the run is priced per instance type from data/prices.yaml. Nothing for a
 * cluster this home did not make, or one without machines of its own (local, metal).
 */
export async function recordedMachines(
  home: string,
  cluster: string | undefined,
): Promise<Partial<Pick<RecordInput, 'provider' | 'region' | 'machines'>>> {
  // The run is over by now: a record that cannot be read costs the run its price, not its results.
  const record = cluster === undefined ? undefined : await readRecord(home, cluster).catch(() => undefined);
  if (!record?.machines?.length) return {};
  return {
    provider: record.provider,
    ...(record.region ? { region: record.region } : {}),
    machines: record.machines,
  };
}
