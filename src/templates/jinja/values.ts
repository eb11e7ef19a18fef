/**
 * Python's data model as the template engine sees it. None is `null`, bool/str are JS booleans/strings,
 * lists are arrays, dicts are Maps (insertion order, as Python keeps it), ints are integral JS numbers (or
 * bigints beyond 2^53), floats are non-integral numbers or a PyFloat (so 2.0 prints as "2.0" like Python).
 */

/** A float whose value may be integral (`1.0`, `10 / 2`), so it still prints with a ".0". */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Jinja2's Undefined: prints as "" and is false when lenient; any use but `is defined`/`default` fails when strict. */
export class Undefined {
  constructor(
    readonly name: string,
    /** Why it is undefined, as Jinja2 words it ("'x' is undefined", "'dict object' has no attribute 'y'"). */
    readonly hint: string,
    readonly strict: boolean,
  ) {}
}

/** Raised when a strict Undefined is used; carries Jinja2's wording. */
export class UndefinedError extends Error {
  override readonly name = 'UndefinedError';
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
  }
}

/** A Python TypeError/ValueError raised while evaluating an expression. */
export class EvalError extends Error {
  override readonly name = 'EvalError';
}

/** A string that escape() leaves alone (Jinja2's Markup). */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** `namespace(...)`: attributes assignable with `{% set ns.x = ... %}`. */
export class Namespace {
  readonly attrs = new Map<string, unknown>();
}

/** Something a template can call: a macro, a global function, a bound method, loop(...), caller(). */
export class Callable {
  constructor(
    readonly name: string,
    readonly call: (args: unknown[], kwargs: Map<string, unknown>) => unknown,
    readonly kind: 'macro' | 'function' | 'method' = 'function',
  ) {}
}

const tuples = new WeakSet<unknown[]>();

/** A Python tuple: an array that prints with parentheses. */
export function tuple(items: unknown[]): unknown[] {
  tuples.add(items);
  return items;
}

const fields = new WeakMap<unknown[], Map<string, unknown>>();

/** A named tuple (groupby's (grouper, list)): a tuple whose items are also attributes. */
export function namedTuple(items: [string, unknown][]): unknown[] {
  const t = tuple(items.map(([, v]) => v));
  fields.set(t, new Map(items));
  return t;
}

export function tupleField(value: unknown[], name: string): unknown {
  return fields.get(value)?.get(name);
}

export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && tuples.has(value);
}

export function isUndefined(value: unknown): value is Undefined {
  return value instanceof Undefined;
}

/** Fails on a strict Undefined; returns the value otherwise. */
export function defined<T>(value: T): T {
  if (value instanceof Undefined && value.strict) throw new UndefinedError(value.hint, value.name);
  return value;
}

/** Fails on any Undefined, lenient too: Jinja2's Undefined refuses arithmetic, ordering, int() and float(). */
export function numericOperand<T>(value: T): T {
  if (value instanceof Undefined) throw new UndefinedError(value.hint, value.name);
  return value;
}

export function isInt(value: unknown): value is number | bigint {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}

export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** int or float, not bool (Jinja2's `number` test counts bools, see tests.ts). */
export function isNumber(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat;
}

export function toNumber(value: unknown): number {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new EvalError(`unsupported operand type: ${typeName(value)}`);
}

/** A float result: integral values are wrapped so they keep printing as floats. */
export function float(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isString(value: unknown): value is string | Markup {
  return typeof value === 'string' || value instanceof Markup;
}

export function isMapping(value: unknown): value is Map<unknown, unknown> {
  return value instanceof Map;
}

/** Python's type name, for error messages ("'dict object' has no attribute 'x'"). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (isInt(value)) return 'int';
  if (isFloat(value)) return 'float';
  if (typeof value === 'string') return 'str';
  if (value instanceof Markup) return 'Markup';
  if (Array.isArray(value)) return isTuple(value) ? 'tuple' : 'list';
  if (value instanceof Map) return 'dict';
  if (value instanceof Namespace) return 'Namespace';
  if (value instanceof Callable) return value.kind === 'macro' ? 'Macro' : 'function';
  if (value instanceof Undefined) return 'Undefined';
  return 'object';
}

/** Python's truthiness. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined) {
    defined(value);
    return false;
  }
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof Markup) return value.text.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return true;
}

/** Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16 on. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
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

/** Python's str(): what `{{ x }}`, `~` and `|string` print. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Undefined) {
    defined(value);
    return '';
  }
  if (value instanceof Markup) return value.text;
  return repr(value);
}

/** Python's repr(), used for items inside lists, tuples and dicts. */
export function repr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (typeof value === 'string') return stringRepr(value);
  if (value instanceof Markup) return `Markup(${stringRepr(value.text)})`;
  if (value instanceof Undefined) {
    defined(value);
    return '';
  }
  if (Array.isArray(value)) {
    const items = value.map(repr);
    if (!isTuple(value)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0] ?? ''},)` : `(${items.join(', ')})`;
  }
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
  }
  if (value instanceof Namespace) {
    return `<Namespace {${[...value.attrs].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}>`;
  }
  if (value instanceof Callable)
    return value.kind === 'macro' ? `<Macro '${value.name}'>` : `<function ${value.name}>`;
  return typeName(value);
}

/** Python's repr of a str: single quotes unless the text has ' and no ". */
export function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's ==: 1 == 1.0 == True, lists and dicts compare by content. */
export function equals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    defined(a);
    defined(b);
    return a instanceof Undefined && b instanceof Undefined;
  }
  if (a instanceof Markup) a = a.text;
  if (b instanceof Markup) b = b.text;
  const order = numericOrder(a, b);
  if (order !== undefined) return order === 0;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isTuple(a) !== isTuple(b) || a.length !== b.length) return false;
    return a.every((v, i) => equals(v, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const key = findKey(b, k);
      if (key === NOT_FOUND || !equals(v, b.get(key))) return false;
    }
    return true;
  }
  return a === b;
}

export const NOT_FOUND: unique symbol = Symbol('not found');

/** The key of a dict equal to `key` in Python's sense (1 and 1.0 and True are one key). */
export function findKey(map: Map<unknown, unknown>, key: unknown): unknown {
  const k = hashKey(key);
  if (map.has(k)) return k;
  if (typeof k === 'number' || typeof k === 'boolean') {
    for (const candidate of map.keys()) if (equals(candidate, k)) return candidate;
  }
  return NOT_FOUND;
}

/** The JS value used as a Map key: PyFloat and Markup keys collapse to their plain value. */
export function hashKey(key: unknown): unknown {
  if (key instanceof PyFloat) return key.value;
  if (key instanceof Markup) return key.text;
  if (key instanceof Undefined) return defined(key);
  if (Array.isArray(key) || key instanceof Map) throw new EvalError(`unhashable type: '${typeName(key)}'`);
  return key;
}

/** Python's < on two values of comparable types. */
/** -1, 0 or 1 for two numbers (bools count) as Python orders them, exact for ints beyond 2^53; NaN for NaN. */
function numericOrder(a: unknown, b: unknown): number | undefined {
  const numeric = (v: unknown): boolean => isNumber(v) || typeof v === 'boolean';
  if (!numeric(a) || !numeric(b)) return undefined;
  if ((typeof a === 'bigint' || typeof b === 'bigint') && isInt(a) && isInt(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [toNumber(a), toNumber(b)];
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

export function compare(a: unknown, b: unknown): number {
  numericOperand(a);
  numericOperand(b);
  if (a instanceof Markup) a = a.text;
  if (b instanceof Markup) b = b.text;
  const order = numericOrder(a, b);
  if (order !== undefined) return order;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equals(a[i], b[i])) return compare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new EvalError(`'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python's iter(): lists, strings (characters), dict keys; a lenient Undefined iterates as empty. */
export function iterate(value: unknown): unknown[] {
  if (value instanceof Undefined) {
    defined(value);
    return [];
  }
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (value instanceof Markup) return [...value.text];
  if (value instanceof Map) return [...value.keys()];
  if (value instanceof Namespace) return [];
  throw new EvalError(`'${typeName(value)}' object is not iterable`);
}

/** Python's len(). */
export function length(value: unknown): number {
  if (value instanceof Undefined) {
    defined(value);
    return 0;
  }
  if (typeof value === 'string') return [...value].length;
  if (value instanceof Markup) return [...value.text].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  throw new EvalError(`object of type '${typeName(value)}' has no len()`);
}
