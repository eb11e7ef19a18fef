import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { errorMessage, UserError } from '../errors/index.js';
import { renderTemplates, TemplateFailure, type NamedTemplate } from './engine.js';
import type { Values } from './strvals.js';

/** File endings that mark a Jinja template (rendered before parsing), as opposed to plain YAML/JSON. */
export const TEMPLATE_EXTENSIONS: readonly string[] = ['.j2', '.jinja', '.njk'];

/** True when the path names a template (`*.j2`, `*.jinja`, `*.njk`). */
export function isTemplateFile(path: string): boolean {
  return TEMPLATE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

export interface RenderOptions {
  values?: Values;
  /** How errors name the template (default: the path as given). */
  displayName?: string;
}

/**
 * Renders a template file with Jinja2 semantics; `{% include/import/extends "x" %}` resolve relative to the
 * file's directory, like Jinja2's FileSystemLoader. Errors are UserErrors naming file and line.
 */
export async function renderTemplateFile(file: string, options: RenderOptions = {}): Promise<string> {
  const display = options.displayName ?? file;
  const main: NamedTemplate = { name: basename(file), source: await readTemplate(file, display) };
  const partials = await loadReferenced(dirname(file), main);
  return renderOrExplain(main, partials, options.values ?? {}, (name) =>
    name === main.name ? display : join(dirname(display), name),
  );
}

/** Renders template text that has no file (stdin, generated); `name` is used in errors. */
export function renderTemplateString(source: string, name: string, values: Values = {}): string {
  return renderOrExplain({ name, source }, [], values, () => name);
}

function renderOrExplain(
  main: NamedTemplate,
  partials: readonly NamedTemplate[],
  values: Values,
  display: (name: string) => string,
): string {
  try {
    return renderTemplates(main, partials, toTemplateData(values));
  } catch (err) {
    if (!(err instanceof TemplateFailure)) throw err;
    const where = `${display(err.template)}${err.line ? `:${err.line}` : ''}`;
    throw explain(err, where, dirname(display(main.name)));
  }
}

function explain(failure: TemplateFailure, where: string, dir: string): UserError {
  const { reason, expression } = failure;
  if (reason.startsWith('undefined value')) {
    const what = expression ? `"${expression}" is undefined` : 'a variable is undefined';
    const name = expression ?? 'name';
    return new UserError(
      `${where}: ${what}`,
      `pass it with --set ${name}=VALUE or --values FILE, or give it a default: {{ ${name} | default(VALUE) }}`,
    );
  }
  if (reason.startsWith('syntax error')) {
    return new UserError(
      `${where}: template ${reason}`,
      'close every {{ }}, {% %} and {# #} and every block tag',
    );
  }
  if (reason.startsWith('template not found')) {
    return new UserError(`${where}: ${reason}`, `include and import paths are relative to ${dir || '.'}`);
  }
  if (/^unknown (filter|function|method|test)/.test(reason)) {
    return new UserError(`${where}: ${reason}`, 'use a Jinja2 built-in, or json_dump/tojson for JSON');
  }
  return new UserError(`${where}: ${reason}`, 'fix the template at that line');
}

async function readTemplate(file: string, display: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read template "${display}": ${errorMessage(err)}`, 'check the path');
  }
}

const REFERENCE = /\{%-?\s*(?:include|import|from|extends)\s+(["'])(.+?)\1/g;

/** Templates named by literal include/import/from/extends, transitively; unreadable ones are left out. */
async function loadReferenced(root: string, main: NamedTemplate): Promise<NamedTemplate[]> {
  const found = new Map<string, NamedTemplate>([[main.name, main]]);
  const queue = [main];
  for (let t = queue.shift(); t; t = queue.shift()) {
    for (const match of t.source.matchAll(REFERENCE)) {
      const name = match[2] ?? '';
      if (found.has(name) || isAbsolute(name) || name.split('/').includes('..')) continue;
      const source = await readFile(join(root, name), 'utf8').catch(() => undefined);
      if (source === undefined) continue;
      const partial = { name, source };
      found.set(name, partial);
      queue.push(partial);
    }
  }
  found.delete(main.name);
  return [...found.values()];
}

/** Values as plain data the engine accepts: YAML's Map/Set/binary/big ints become maps, lists, strings. */
export function toTemplateData(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries(
      [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), toTemplateData(v)]),
    );
  }
  if (value instanceof Set) return [...(value as Set<unknown>)].map(toTemplateData);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(toTemplateData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTemplateData(v)]));
  }
  return typeof value === 'function' || typeof value === 'symbol' ? null : value;
}
