/**
 * The one loader of cncfdemo's versioned data files (data/*.yaml, manifests/stack.yaml, a user's --slos
 * file): reads YAML or JSON, checks apiVersion and kind, validates against the kind's JSON Schema, and
 * reports every problem on one line that names the file.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { UserError } from '../errors/index.js';
import { loadValidator, type SchemaSpec } from './ajv.js';

/** The apiVersion of every data file cncfdemo reads. */
export const DATA_API_VERSION = 'cncfdemo.io/v1alpha1';

/** A file named as the user would type it: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function problem(e: ErrorObject): string {
  const params = e.params as {
    additionalProperty?: unknown;
    allowedValues?: unknown;
    allowedValue?: unknown;
  };
  const detail = params.additionalProperty ?? params.allowedValues ?? params.allowedValue;
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${detail === undefined ? '' : ` (${JSON.stringify(detail)})`}`;
}

/** Checks a parsed document (from `file`) and returns it typed; throws one line naming the file. */
export function checkDocument<T>(raw: unknown, file: string, kind: string, schema: DocumentSchema<T>): T {
  const name = shown(file);
  const hint = `see ${shown(schema.schemaFile)}`;
  const head = raw as { apiVersion?: unknown; kind?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.apiVersion !== DATA_API_VERSION || head.kind !== kind)
    throw new UserError(`${name}: expected apiVersion ${DATA_API_VERSION} and kind ${kind}`, hint);
  const validate = loadValidator(schema);
  if (!validate(raw))
    throw new UserError(`${name}: ${(validate.errors ?? []).map(problem).join('; ')}`, hint);
  return raw as T;
}

/** Parses YAML (or JSON, which is YAML) text read from `file`; a syntax error is one line naming the file. */
export function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    // yaml's message continues with a code frame on the next lines: the first line says where.
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new UserError(`${shown(file)}: not valid YAML: ${first}`);
  }
}

/** Parses text read from `file`, then checks it as checkDocument does. */
export function parseDocument<T>(text: string, file: string, kind: string, schema: DocumentSchema<T>): T {
  return checkDocument(parseYaml(text, file), file, kind, schema);
}

/** Reads, parses and checks a versioned data file. */
export async function loadDocument<T>(path: string, kind: string, schema: DocumentSchema<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${shown(path)}: cannot read (${code ?? String(err)})`);
  }
  return parseDocument(text, path, kind, schema);
}

/** The schema of a data file whose valid documents are `T` (a type the schema guarantees, named once). */
export interface DocumentSchema<T> extends SchemaSpec {
  /** Never set: carries T from the schema to what loadDocument returns. */
  readonly document?: T;
}

/** One of the data files' schemas under schemas/, compiled strictly and reporting all errors at once. */
export function dataSchema<T>(name: string, schemaFile: string): DocumentSchema<T> {
  return { name, schemaFile, options: { allErrors: true, strict: true } };
}
