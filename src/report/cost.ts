import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { dataSchema, loadDocument } from '../schema/document.js';
import type { CostResult } from './types.js';

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

/** Cost of the run (nodes x hours x price) and per million requests served. */
export function runCost(
  table: PriceTable,
  input: {
    provider: string;
    instanceType: string | null;
    nodes: number;
    start: Date;
    end: Date;
    requests: number | null;
    override?: number;
  },
): CostResult {
  const price = nodePrice(table, input.provider, input.instanceType, input.override);
  const nodeHours = (input.nodes * Math.max(0, input.end.getTime() - input.start.getTime())) / 3_600_000;
  const total = price.pricePerNodeHour === null ? null : price.pricePerNodeHour * nodeHours;
  return {
    currency: table.currency,
    ...price,
    nodeHours,
    total,
    perMillionRequests: total !== null && input.requests ? (total / input.requests) * 1e6 : null,
  };
}
