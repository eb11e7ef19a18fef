import { defined, floatRepr, Markup, PyFloat, Undefined } from './jinja/values.js';

/** Options of Python's json.dumps that templates may pass: `json_dump(indent=2)`. */
export interface JsonDumpOptions {
  indent?: number | string;
  /** json.dumps(sort_keys=True), as Jinja2's tojson uses. */
  sortKeys?: boolean;
}

/** Serializes like Python's json.dumps (ensure_ascii, ', '/': ' separators, float repr, key order as given). */
export function pythonJsonDumps(value: unknown, options: JsonDumpOptions = {}): string {
  const indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent;
  return dump(value, indent, 0, options.sortKeys === true);
}

function dump(value: unknown, indent: string | undefined, level: number, sortKeys = false): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Undefined) {
    defined(value);
    throw new TypeError('Object of type Undefined is not JSON serializable');
  }
  if (value instanceof PyFloat) return pythonNumber(value.value, true);
  if (value instanceof Markup) return pythonString(value.text);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value))
    return container('[', ']', value, indent, level, (v) => dump(v, indent, level + 1, sortKeys));
  const found = mapEntries(value);
  if (found) {
    const entries = sortKeys ? sortedEntries(found) : found;
    return container(
      '{',
      '}',
      entries,
      indent,
      level,
      ([k, v]) => `${pythonString(pythonKey(k))}: ${dump(v, indent, level + 1, sortKeys)}`,
    );
  }
  throw new TypeError(`Object of type ${typeName(value)} is not JSON serializable`);
}

function container<T>(
  open: string,
  close: string,
  items: readonly T[],
  indent: string | undefined,
  level: number,
  render: (item: T) => string,
): string {
  if (items.length === 0) return open + close;
  if (indent === undefined) return open + items.map(render).join(', ') + close;
  const inner = '\n' + indent.repeat(level + 1);
  return open + inner + items.map(render).join(',' + inner) + '\n' + indent.repeat(level) + close;
}

function mapEntries(value: unknown): [unknown, unknown][] | undefined {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>).entries()];
  if (typeof value === 'object' && value !== null && isPlainObject(value)) return Object.entries(value);
  return undefined;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python converts non-string keys the way it prints them as values (True -> "true", 1.5 -> "1.5"). */
function sortedEntries(entries: [unknown, unknown][]): [unknown, unknown][] {
  return [...entries].sort(([a], [b]) => {
    const [x, y] = [pythonKey(a), pythonKey(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function pythonKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null || typeof key === 'boolean' || typeof key === 'number' || typeof key === 'bigint') {
    return dump(key, undefined, 0);
  }
  throw new TypeError(`keys must be str, int, float, bool or None, not ${typeName(key)}`);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** ensure_ascii=True: everything outside printable ASCII becomes \uXXXX (UTF-16 code units, lowercase hex). */
function pythonString(text: string): string {
  return '"' + text.replace(/[\\"]|[^\x20-\x7e]/g, escapeChar) + '"';
}

function escapeChar(ch: string): string {
  return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Integral numbers are Python ints; floats (non-integral, or a template's PyFloat such as 2.0) use float repr. */
function pythonNumber(n: number, isFloat = false): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (isFloat || !Number.isInteger(n)) return floatRepr(n);
  return String(n);
}

function typeName(value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor.name;
  return typeof value;
}
