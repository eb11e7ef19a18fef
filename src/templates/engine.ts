import type { TemplateCompat } from './compat.js';
import { pythonJsonDumps, type JsonDumpOptions } from './json-dump.js';
import { builtinFilters } from './jinja/filters.js';
import { builtinGlobals } from './jinja/globals.js';
import { Environment, RenderError, type Filter } from './jinja/runtime.js';
import { builtinTests } from './jinja/tests.js';
import { defined, PyFloat } from './jinja/values.js';

export { TEMPLATE_COMPAT_MODES, type TemplateCompat } from './compat.js';

/** A template by the name other templates include it with. */
export interface NamedTemplate {
  name: string;
  source: string;
}

export interface EngineOptions {
  compat?: TemplateCompat;
}

/** What went wrong inside the engine, located in a template by its registered name. */
export class TemplateFailure extends Error {
  override readonly name = 'TemplateFailure';
  constructor(
    readonly reason: string,
    readonly kind: RenderError['kind'],
    readonly template: string,
    readonly line?: number,
    readonly expression?: string,
  ) {
    super(reason);
  }
}

/**
 * Renders `main` with Jinja2's defaults (no autoescape, no trim_blocks, trailing newline dropped) and the
 * filters, tests and globals of Jinja2 3.1, plus json_dump. `partials` are the templates it may include,
 * import or extend, by name (names may be computed at render time).
 */
export function renderTemplates(
  main: NamedTemplate,
  partials: readonly NamedTemplate[],
  context: unknown,
  options: EngineOptions = {},
): string {
  const sources = new Map(partials.map((t) => [t.name, t.source]));
  sources.set(main.name, main.source);
  const compat = options.compat ?? 'jinja2';
  const filters = builtinFilters();
  filters.set('json_dump', jsonDump(compat));
  const env = new Environment({
    undefined: compat === 'cncfdemo-v1' ? 'lenient' : 'strict',
    filters,
    tests: builtinTests(),
    globals: builtinGlobals(),
    load: (name) => sources.get(name),
  });
  try {
    return env.render(main.name, toPython(context) as Map<string, unknown>);
  } catch (err) {
    if (err instanceof RenderError) {
      throw new TemplateFailure(err.message, err.kind, err.template || main.name, err.line, err.expression);
    }
    if (err instanceof RangeError) throw new TemplateFailure(err.message, 'other', main.name);
    throw err;
  }
}

/** The seed tool's json_dump was json.dumps with the outer quotes cut; Jinja2 mode keeps json.dumps. */
function jsonDump(compat: TemplateCompat): Filter {
  return (_ctx, value, args, kwargs) => {
    const text = pythonJsonDumps(defined(value), dumpOptions(args, kwargs));
    return compat === 'cncfdemo-v1' ? text.slice(1, -1) : text;
  };
}

function dumpOptions(args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>): JsonDumpOptions {
  const indent = kwargs.get('indent') ?? args[0];
  const sortKeys = kwargs.get('sort_keys') === true;
  const options: JsonDumpOptions = sortKeys ? { sortKeys } : {};
  if (typeof indent === 'number' || typeof indent === 'string') options.indent = indent;
  return options;
}

/** Plain data (from YAML/JSON) as the engine's Python values: objects become dicts in their key order. */
function toPython(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toPython);
  if (value instanceof Map)
    return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [k, toPython(v)]));
  if (typeof value === 'object' && value !== null && !(value instanceof PyFloat)) {
    return new Map(Object.entries(value).map(([k, v]) => [k, toPython(v)]));
  }
  return value;
}
