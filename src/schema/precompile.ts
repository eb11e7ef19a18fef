import { RUN_RECORD_SCHEMA } from '../report/validate.js';
import { VALUES_SCHEMA } from '../stack/values.js';
import { precompileValidator } from './ajv.js';

/** The build step that writes every schema's standalone validator (run by scripts/bundle.mjs). */
export function precompileValidators(dir?: string): string[] {
  return [VALUES_SCHEMA, RUN_RECORD_SCHEMA].map((spec) => precompileValidator(spec, dir));
}
