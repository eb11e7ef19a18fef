import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { dataSchema, loadDocument } from '../schema/document.js';
import type { CostResult } from '../model/run-record.js';

export interface PriceTable {
  currency: string;
  providers: Record<string, Record<string, number>>;
}

export const PRICE_TABLE_PATH = join(packageRoot, 'data', 'prices.yaml');

export const PRICES_SCHEMA = dataSchema<PriceTable>(
  'prices',
  join(packageRoot, 'schemas', 'prices.schema.json'),
);

export async function loadPriceTable(path = PRICE_TABLE_PATH): Promise<PriceTable> {
  const doc = await loadDocument(path, 'PriceTable', PRICES_SCHEMA);
  return { currency: doc.currency, providers: doc.providers };
}

/** The price of one node-hour: the override, else the table's instance type, else the provider default. */
export function nodePrice(
  table: PriceTable,
  provider: string,
  instanceType: string | null,
  override?: number,
): Pick<CostResult, 'pricePerNodeHour' | 'priceSource'> {
  if (override !== undefined) return { pricePerNodeHour: override, priceSource: 'override' };
  const prices = table.providers[provider];
  const price = (instanceType ? prices?.[instanceType] : undefined) ?? prices?.default;
  return price === undefined
    ? { pricePerNodeHour: null, priceSource: 'unknown' }
    : { pricePerNodeHour: price, priceSource: 'price table' };
}

/**
 * Cost of the run (nodes x hours x price) and per million requests served. With `machines` (the cluster's
 * instance types by role, from its record), each group is priced from the table on its own and
 * pricePerNodeHour is their mean per machine; a group the table cannot price makes the whole price unknown.
 */
export function runCost(
  table: PriceTable,
  input: {
    provider: string;
    instanceType: string | null;
    nodes: number;
    machines?: readonly { instanceType: string; count: number }[];
    start: Date;
    end: Date;
    requests: number | null;
    override?: number;
  },
): CostResult {
  const hours = Math.max(0, input.end.getTime() - input.start.getTime()) / 3_600_000;
  const groups = input.machines?.filter((m) => m.count > 0) ?? [];
  const count = groups.length > 0 ? groups.reduce((n, g) => n + g.count, 0) : input.nodes;
  const price =
    groups.length > 0 && input.override === undefined
      ? meanPrice(table, input.provider, groups, count)
      : nodePrice(table, input.provider, input.instanceType, input.override);
  const total = price.pricePerNodeHour === null ? null : price.pricePerNodeHour * count * hours;
  return {
    currency: table.currency,
    ...price,
    nodeHours: count * hours,
    total,
    perMillionRequests: total !== null && input.requests ? (total / input.requests) * 1e6 : null,
  };
}

function meanPrice(
  table: PriceTable,
  provider: string,
  groups: readonly { instanceType: string; count: number }[],
  count: number,
): Pick<CostResult, 'pricePerNodeHour' | 'priceSource'> {
  let hourly = 0;
  for (const g of groups) {
    const price = nodePrice(table, provider, g.instanceType).pricePerNodeHour;
    if (price === null) return { pricePerNodeHour: null, priceSource: 'unknown' };
    hourly += price * g.count;
  }
  return { pricePerNodeHour: hourly / count, priceSource: 'price table' };
}
