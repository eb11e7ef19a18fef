/** Options of Python's json.dumps that templates may pass: `json_dump(indent=2)`. */
export interface JsonDumpOptions {
  indent?: number | string;
}

/** Serializes like Python's json.dumps (ensure_ascii, ', '/': ' separators, float repr, key order as given). */
export function pythonJsonDumps(value: unknown, options: JsonDumpOptions = {}): string {
  const indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent;
  return dump(value, indent, 0);
}

function dump(value: unknown, indent: string | undefined, level: number): string {
  // the template engine hands `none` to JS filters as undefined
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value))
    return container('[', ']', value, indent, level, (v) => dump(v, indent, level + 1));
  const entries = mapEntries(value);
  if (entries) {
    return container(
      '{',
      '}',
      entries,
      indent,
      level,
      ([k, v]) => `${pythonString(pythonKey(k))}: ${dump(v, indent, level + 1)}`,
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

/**
 * Template numbers arrive as JS numbers, so safe integers print as Python ints (2.0 -> 2); the rest follows
 * Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16 on.
 */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isSafeInteger(n)) return String(n);
  const [mantissa = '0', exponent = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = n < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1) || '0';
  return `${sign}${whole}.${fraction}`;
}

function typeName(value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor.name;
  return typeof value;
}
