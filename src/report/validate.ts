import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../config/paths.js';
import { loadValidator, type SchemaSpec } from '../schema/ajv.js';
import type { RunRecord } from '../model/run-record.js';

/** Written from RUN_RECORD_JSON_SCHEMA (src/model/run-record.schema.ts) by `npm run schemas`. */
export const RUN_RECORD_SCHEMA_PATH = join(packageRoot, 'schemas', 'run-record.schema.json');

export const RUN_RECORD_SCHEMA: SchemaSpec = {
  name: 'run-record',
  schemaFile: RUN_RECORD_SCHEMA_PATH,
  options: { allErrors: true, strict: true },
  standardFormats: true,
};

/** The run record schema's validator (precompiled by the build; per call to keep no module state). */
export function runRecordValidator(): ValidateFunction {
  return loadValidator(RUN_RECORD_SCHEMA);
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
