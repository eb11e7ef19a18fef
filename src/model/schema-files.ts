/**
 * The JSON Schema files written from the model's schema objects: schemas/<name>.schema.json is the
 * published artefact (and what the validator compiles, src/schema/ajv.ts); the object is the source.
 */
import type { JsonSchema } from './json-schema.js';
import { RUN_RECORD_JSON_SCHEMA } from './run-record.schema.js';

/** File name under schemas/ -> the object it is written from (`npm run schemas`). */
export const GENERATED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  'run-record.schema.json': RUN_RECORD_JSON_SCHEMA,
};
