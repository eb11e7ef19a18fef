import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';

const require = createRequire(import.meta.url);

/** Ajv takes ~50 ms to load: it is loaded on the first validation, not on every CLI start. */
export function newAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass(options);
}

/** ajv-formats' standard formats (date-time, uri, ...) on an Ajv instance. */
export function withFormats(ajv: Ajv): Ajv {
  const addFormats = require('ajv-formats') as (instance: Ajv) => Ajv;
  return addFormats(ajv);
}
