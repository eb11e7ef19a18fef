import { resolve } from 'node:path';
import { errorMessage, UserError } from '../errors/index.js';
import { InputReader } from '../inputs/read-limited.js';
import { isValues, parseSetExpression, type Values } from './strvals.js';
import { parseYamlDocuments } from './yaml.js';

export interface ValuesOptions {
  /** `--values FILE`, repeatable: YAML mappings deep-merged in order. */
  valuesFiles?: readonly string[];
  /** `--set a.b=c`, repeatable, applied after the files in order (Helm's strvals syntax). */
  set?: readonly string[];
  /** Base for relative paths (default: the process's working directory). */
  cwd?: string;
}

/** Builds the template values: values files deep-merged in order, then every --set on top. */
export async function loadValues(options: ValuesOptions): Promise<Values> {
  let values: Values = {};
  for (const file of options.valuesFiles ?? []) {
    values = mergeValues(values, await readValuesFile(file, options.cwd));
  }
  const sets: Values = {};
  for (const expression of options.set ?? []) parseSetExpression(expression, sets);
  return mergeValues(values, sets);
}

/** Deep merge like Helm: maps merge key by key, anything else (lists too) is replaced by the override. */
export function mergeValues(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isValues(current) && isValues(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** Reads one values file; it must hold a single YAML mapping (or nothing). */
export async function readValuesFile(file: string, cwd = process.cwd()): Promise<Values> {
  const text = await new InputReader().text(resolve(cwd, file), file, (err) => {
    const missing = err.code === 'ENOENT';
    return new UserError(
      missing
        ? `values file "${file}" does not exist`
        : `cannot read values file "${file}": ${errorMessage(err)}`,
      'pass an existing YAML file to --values (paths are relative to the current directory)',
    );
  });
  const docs = parseYamlDocuments(text, { file });
  const [first, second] = docs;
  if (second) {
    throw new UserError(
      `${file}:${second.line}: a values file holds one YAML document, found more`,
      'remove the extra "---"',
    );
  }
  if (first === undefined || first.value === null) return {};
  if (!isValues(first.value)) {
    throw new UserError(
      `${file}:${first.line}: values must be a YAML mapping (key: value)`,
      'write values as "key: value" lines',
    );
  }
  return first.value;
}
