import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { errorMessage, UserError } from '../errors/index.js';
import { renderTemplates, TemplateFailure, type NamedTemplate, type TemplateCompat } from './engine.js';
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
  /** `cncfdemo-v1` for templates written for the original cncfdemo (see engine.ts). */
  compat?: TemplateCompat;
}

/**
 * Renders a template file with Jinja2 semantics; `{% include/import/extends "x" %}` resolve relative to the
 * file's directory, like Jinja2's FileSystemLoader. Errors are UserErrors naming file and line.
 */
export async function renderTemplateFile(file: string, options: RenderOptions = {}): Promise<string> {
  const display = options.displayName ?? file;
  const main: NamedTemplate = { name: basename(file), source: await readTemplate(file, display) };
  const partials = await loadPartials(dirname(file), main);
  return renderOrExplain(main, partials, options, (name) =>
    name === main.name ? display : join(dirname(display), name),
  );
}

/** Renders template text that has no file (stdin, generated); `name` is used in errors. */
export function renderTemplateString(
  source: string,
  name: string,
  values: Values = {},
  compat?: TemplateCompat,
): string {
  return renderOrExplain({ name, source }, [], { values, ...(compat ? { compat } : {}) }, () => name);
}

function renderOrExplain(
  main: NamedTemplate,
  partials: readonly NamedTemplate[],
  options: RenderOptions,
  display: (name: string) => string,
): string {
  try {
    return renderTemplates(main, partials, toTemplateData(options.values ?? {}), {
      ...(options.compat ? { compat: options.compat } : {}),
    });
  } catch (err) {
    if (!(err instanceof TemplateFailure)) throw err;
    const where = `${display(err.template)}${err.line ? `:${err.line}` : ''}`;
    throw explain(err, where, dirname(display(main.name)));
  }
}

function explain(failure: TemplateFailure, where: string, dir: string): UserError {
  const { reason, expression, kind } = failure;
  if (kind === 'undefined') {
    const what = expression ? `"${expression}" is undefined` : reason;
    const name = expression || 'name';
    return new UserError(
      `${where}: ${what}`,
      `pass it with --set ${name}=VALUE or --values FILE, or give it a default: {{ ${name} | default(VALUE) }}`,
    );
  }
  if (kind === 'syntax') {
    return new UserError(
      `${where}: template syntax error: ${reason}`,
      'close every {{ }}, {% %} and {# #} and every block tag',
    );
  }
  if (kind === 'not-found') {
    return new UserError(`${where}: ${reason}`, `include and import paths are relative to ${dir || '.'}`);
  }
  if (kind === 'unknown-filter') {
    const what = reason.replace(/^No (filter|test) named '(.*)'\.$/, 'unknown $1 "$2"');
    return new UserError(`${where}: ${what}`, 'use a Jinja2 built-in, or json_dump/tojson for JSON');
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

const MAX_PARTIALS = 500;

/**
 * Every template file under the directory (names relative to it, as Jinja2's FileSystemLoader sees them),
 * so that include/import names computed at render time (`{% include 'p_' ~ kind %}`) resolve.
 */
async function loadPartials(root: string, main: NamedTemplate): Promise<NamedTemplate[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile() && isTemplateFile(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((name) => name !== main.name)
    .sort()
    .slice(0, MAX_PARTIALS);
  const partials = await Promise.all(
    files.map(async (name) => ({
      name,
      source: await readFile(join(root, name), 'utf8').catch(() => undefined),
    })),
  );
  return partials.filter((p): p is NamedTemplate => p.source !== undefined);
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
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(toTemplateData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTemplateData(v)]));
  }
  return typeof value === 'function' || typeof value === 'symbol' ? null : value;
}
