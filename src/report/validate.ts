import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../config/paths.js';
import { newAjv, withFormats } from '../schema/ajv.js';
import type { RunRecord } from './types.js';

export const RUN_RECORD_SCHEMA_PATH = join(packageRoot, 'schemas', 'run-record.schema.json');

/** Compiles the run record schema (a few milliseconds; done per call to keep no module state). */
export function runRecordValidator(): ValidateFunction {
  const ajv = withFormats(newAjv({ allErrors: true, strict: true }));
  return ajv.compile(JSON.parse(readFileSync(RUN_RECORD_SCHEMA_PATH, 'utf8')) as object);
}

/** Problems of a run record against the schema, as "path: message" lines; empty when valid. */
export function runRecordProblems(value: unknown, validate = runRecordValidator()): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`,
  );
}

export function isRunRecord(value: unknown): value is RunRecord {
  return runRecordProblems(value).length === 0;
}
