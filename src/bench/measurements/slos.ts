import { join } from 'node:path';
import { packageRoot } from '../../config/paths.js';
import { UserError } from '../../errors/index.js';
import { dataSchema, loadDocument } from '../../schema/document.js';
import type { MeasurementRow, SloVerdict } from '../../model/run-record.js';

/** One objective: the value in `column` of the result row `row` must be <= maxSeconds. */
export interface SloObjective {
  name: string;
  row: string;
  column: string;
  maxSeconds: number;
}

/** Objectives per measurement name, as in data/slos.yaml. */
export type SloTable = Readonly<Record<string, readonly SloObjective[]>>;

interface SloDocument {
  apiVersion: string;
  kind: 'SloThresholds';
  measurements: Record<string, SloObjective[]>;
}

export const SLOS_FILE = join(packageRoot, 'data', 'slos.yaml');
export const SLOS_SCHEMA = dataSchema<SloDocument>('slos', join(packageRoot, 'schemas', 'slos.schema.json'));

async function readSlos(path: string, known: readonly string[]): Promise<SloTable> {
  const doc = await loadDocument(path, 'SloThresholds', SLOS_SCHEMA);
  const unknown = Object.keys(doc.measurements).filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new UserError(
      `${path}: unknown measurement ${unknown.map((n) => `"${n}"`).join(', ')}`,
      `use one of: ${known.join(', ')}`,
    );
  return doc.measurements;
}

/**
 * The SLO thresholds: data/slos.yaml, with each measurement listed in the user's file (--slos) replacing
 * that measurement's objectives. `known` is the registry's measurement names (passed in: the registry
 * imports the measurements, which import this file).
 */
export async function loadSlos(known: readonly string[], userFile?: string): Promise<SloTable> {
  const defaults = await readSlos(SLOS_FILE, known);
  return userFile ? { ...defaults, ...(await readSlos(userFile, known)) } : defaults;
}

/** The verdicts of a measurement's result rows against its objectives; null where nothing was measured. */
export function sloVerdicts(
  rows: readonly MeasurementRow[],
  objectives: readonly SloObjective[],
): SloVerdict[] {
  return objectives.map((o) => {
    const observed = rows.find((r) => r.label === o.row)?.values[o.column] ?? null;
    return {
      name: o.name,
      objective: `${o.column} <= ${o.maxSeconds}s`,
      thresholdSeconds: o.maxSeconds,
      observedSeconds: observed,
      pass: observed === null ? null : observed <= o.maxSeconds,
    };
  });
}
