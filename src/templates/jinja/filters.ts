import { pythonJsonDumps } from '../json-dump.js';
import { bind } from './args.js';
import { escape } from './escape.js';
import { percentFormat } from './format.js';
import { attribute, center, item, strip } from './lookup.js';
import type { Filter, RenderContext } from './runtime.js';
import {
  compare,
  defined,
  equals,
  EvalError,
  float,
  isFloat,
  isInt,
  isNumber,
  isString,
  isUndefined,
  iterate,
  length,
  Markup,
  namedTuple,
  numericOperand,
  str,
  toNumber,
  truthy,
  tuple,
  Undefined,
} from './values.js';

type Kw = Map<string, unknown>;

/** Jinja2's attribute paths: "a.b" walks attributes, "0" is an index. */
export function attrGetter(
  ctx: RenderContext,
  path: unknown,
  lower = false,
  dflt?: unknown,
): (v: unknown) => unknown {
  const parts = typeof path === 'string' ? path.split('.') : [path];
  return (value) => {
    let v = value;
    for (const part of parts) {
      const key = typeof part === 'string' && /^\d+$/.test(part) ? Number(part) : part;
      v = item(ctx, v, key, '');
      if (v instanceof Undefined && dflt !== undefined) return dflt;
    }
    return lower && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

function lowerIf(caseSensitive: unknown, v: unknown): unknown {
  return !truthy(caseSensitive) && typeof v === 'string' ? v.toLowerCase() : v;
}

function keyFunc(
  ctx: RenderContext,
  attributeName: unknown,
  caseSensitive: unknown,
): (v: unknown) => unknown {
  if (attributeName === null || attributeName === undefined) return (v) => lowerIf(caseSensitive, v);
  const getter = attrGetter(ctx, attributeName);
  return (v) => lowerIf(caseSensitive, getter(v));
}

/** Python's sorted(): stable, by a key. */
function sorted(items: unknown[], key: (v: unknown) => unknown, reverse = false): unknown[] {
  const keyed = items.map((v) => [key(v), v] as const);
  keyed.sort((a, b) => (reverse ? compare(b[0], a[0]) : compare(a[0], b[0])));
  return keyed.map(([, v]) => v);
}

/** Python's round(): half-to-even on exact ties, correctly rounded otherwise. */
function pyRound(x: number, digits: number): number {
  if (digits < 0) {
    const scale = 10 ** -digits;
    return pyRound(x / scale, 0) * scale;
  }
  const scaled = Math.abs(x).toFixed(Math.min(100, Math.max(0, digits) + 30));
  const [whole = '', fraction = ''] = scaled.split('.');
  const keep = fraction.slice(0, digits);
  const rest = fraction.slice(digits);
  let rounded = Number(`${whole}.${keep || '0'}`);
  const unit = 10 ** -digits;
  if (/^50*$/.test(rest) && fraction.length < 100) {
    const lastDigit = Number((keep || whole).slice(-1));
    if (lastDigit % 2 === 1) rounded = Number((rounded + unit).toFixed(digits));
  } else if (rest[0] !== undefined && rest[0] >= '5')
    rounded = Number((rounded + unit).toFixed(Math.max(0, digits)));
  return x < 0 ? -rounded : rounded;
}

/** Python's int(str, base): whitespace, a sign, underscores between digits, 0x/0o/0b prefixes for base 0/16/8/2. */
function parseInt(text: string, base: number): number | bigint | undefined {
  let s = text.trim();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1);
  }
  let b = base;
  const prefix = /^0([xob])/i.exec(s)?.[1]?.toLowerCase();
  const prefixBase = prefix === 'x' ? 16 : prefix === 'o' ? 8 : prefix === 'b' ? 2 : undefined;
  if (prefixBase && (b === 0 || b === prefixBase)) {
    b = prefixBase;
    s = s.slice(2).replace(/^_/, '');
  } else if (b === 0) {
    if (/^0+$/.test(s.replace(/_/g, ''))) return 0;
    if (s.startsWith('0')) return undefined;
    b = 10;
  }
  if (!/^[0-9a-z]+(?:_[0-9a-z]+)*$/i.test(s)) return undefined;
  const digits = s.replace(/_/g, '').toLowerCase();
  let n = 0n;
  for (const ch of digits) {
    const d = parseInt36(ch);
    if (d === undefined || d >= b) return undefined;
    n = n * BigInt(b) + BigInt(d);
  }
  const result = sign * n;
  return result >= BigInt(Number.MIN_SAFE_INTEGER) && result <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(result)
    : result;
}

function parseInt36(ch: string): number | undefined {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  return undefined;
}

/** Python's float(str). */
function parseFloat(text: string): number | undefined {
  const s = text.trim().replace(/(\d)_(?=\d)/g, '$1');
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}

function toInt(value: unknown, dflt: unknown, base: unknown): unknown {
  numericOperand(value);
  if (isInt(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isFloat(value)) return Math.trunc(toNumber(value));
  if (isString(value)) {
    const n = parseInt(str(value), toNumber(base));
    if (n !== undefined) return n;
    const f = parseFloat(str(value));
    if (f !== undefined && Number.isFinite(f)) return Math.trunc(f);
  }
  return dflt;
}

function toFloat(value: unknown, dflt: unknown): unknown {
  numericOperand(value);
  if (isNumber(value) || typeof value === 'boolean') return float(toNumber(value));
  if (isString(value)) {
    const f = parseFloat(str(value));
    if (f !== undefined) return float(f);
  }
  return dflt;
}

function filesize(value: unknown, binary: unknown): string {
  const bytes = toNumber(toFloat(value, 0));
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary)
    ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']
    : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0] ?? '';
  for (const [i, p] of prefixes.entries()) {
    unit = base ** (i + 2);
    prefix = p;
    if (bytes < unit) break;
  }
  return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
}

/** Python's urllib.parse.quote (UTF-8, unreserved characters and `safe` kept). */
function urlQuote(text: string, safe: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out +=
      /[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function urlencode(value: unknown): string {
  if (isString(value)) return urlQuote(str(value), '/');
  const pairs =
    value instanceof Map ? [...value] : iterate(value).map((p) => iterate(p) as [unknown, unknown]);
  const q = (v: unknown): string => urlQuote(str(v), '').replace(/%20/g, '+');
  return pairs.map(([k, v]) => `${q(k)}=${q(v)}`).join('&');
}

function indent(s: unknown, width: unknown, first: unknown, blank: unknown): string {
  const indention = typeof width === 'string' ? width : ' '.repeat(toNumber(width));
  const lines = splitlines(str(s) + '\n');
  let rv: string;
  if (truthy(blank)) rv = lines.join('\n' + indention);
  else {
    rv = lines.shift() ?? '';
    if (lines.length > 0) rv += '\n' + lines.map((l) => (l ? indention + l : l)).join('\n');
  }
  return truthy(first) ? indention + rv : rv;
}

/** Python's str.splitlines() (no trailing empty line). */
export function splitlines(s: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python's line boundaries include \x1c-\x1e
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function truncate(s: string, len: number, killwords: unknown, end: string, leeway: number): string {
  if (len < end.length) throw new EvalError(`expected length >= ${end.length}, got ${len}`);
  if (leeway < 0) throw new EvalError(`expected leeway >= 0, got ${leeway}`);
  const chars = [...s];
  if (chars.length <= len + leeway) return s;
  const head = chars.slice(0, len - end.length).join('');
  if (truthy(killwords)) return head + end;
  const cut = head.lastIndexOf(' ');
  return (cut < 0 ? head : head.slice(0, cut)) + end;
}

/** Python's textwrap.wrap with Jinja2's options (no tab expansion, whitespace kept). */
function wrapLine(line: string, width: number, breakLong: boolean, breakOnHyphens: boolean): string[] {
  const chunks = line
    .split(breakOnHyphens ? /(\s+|(?<=[^\s-]{2,}-)(?=[^\s-]))/ : /(\s+)/)
    .filter((c: string | undefined): c is string => c !== '' && c !== undefined);
  const lines: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = (): void => {
    while (current.length > 0 && /^\s+$/.test(current[current.length - 1] ?? ''))
      size -= (current.pop() ?? '').length;
    if (current.length > 0) lines.push(current.join(''));
    current = [];
    size = 0;
  };
  const queue = [...chunks];
  while (queue.length > 0) {
    const chunk = queue.shift() ?? '';
    if (/^\s+$/.test(chunk) && current.length === 0 && lines.length > 0) continue;
    if (size + chunk.length <= width) {
      current.push(chunk);
      size += chunk.length;
      continue;
    }
    if (chunk.length > width && breakLong) {
      const room = Math.max(1, width - size);
      current.push(chunk.slice(0, room));
      queue.unshift(chunk.slice(room));
      flush();
      continue;
    }
    if (current.length === 0) {
      current.push(chunk);
      size += chunk.length;
      continue;
    }
    flush();
    if (!/^\s+$/.test(chunk)) queue.unshift(chunk);
  }
  flush();
  return lines;
}

function groupby(
  ctx: RenderContext,
  value: unknown,
  attr: unknown,
  dflt: unknown,
  caseSensitive: unknown,
): unknown[] {
  const getter = attrGetter(ctx, attr, false, dflt === null ? undefined : dflt);
  const key = (v: unknown): unknown => lowerIf(caseSensitive, getter(v));
  const groups: [unknown, unknown[]][] = [];
  for (const v of sorted(iterate(value), key)) {
    const k = key(v);
    const last = groups[groups.length - 1];
    if (last && equals(last[0], k)) last[1].push(v);
    else groups.push([k, [v]]);
  }
  return groups.map(([k, items]) =>
    namedTuple([
      ['grouper', truthy(caseSensitive) ? k : getter(items[0])],
      ['list', items],
    ]),
  );
}

function selectOrReject(
  ctx: RenderContext,
  value: unknown,
  args: unknown[],
  byAttr: boolean,
  keep: boolean,
): unknown[] {
  const [attrName, testName, ...testArgs] = byAttr ? args : [undefined, ...args];
  const get = byAttr ? attrGetter(ctx, attrName) : (v: unknown): unknown => v;
  const test = testName === undefined ? undefined : ctx.env.options.tests.get(str(testName));
  if (testName !== undefined && !test) throw new EvalError(`No test named '${str(testName)}'.`);
  return iterate(value).filter((v) => {
    const x = get(v);
    const ok = test ? truthy(test(ctx, x, testArgs, new Map())) : truthy(x);
    return ok === keep;
  });
}

function mapFilter(ctx: RenderContext, value: unknown, args: unknown[], kwargs: Kw): unknown[] {
  const items = iterate(value);
  if (args.length === 0 && kwargs.has('attribute')) {
    const getter = attrGetter(ctx, kwargs.get('attribute'), false, kwargs.get('default'));
    return items.map(getter);
  }
  const [name, ...rest] = args;
  const filter = ctx.env.options.filters.get(str(name));
  if (!filter) throw new EvalError(`No filter named '${str(name)}'.`);
  return items.map((v) => filter(ctx, v, rest, kwargs));
}

function minMax(
  ctx: RenderContext,
  value: unknown,
  caseSensitive: unknown,
  attr: unknown,
  sign: 1 | -1,
): unknown {
  const items = iterate(value);
  if (items.length === 0) return ctx.undefined('', 'No aggregated item, sequence was empty.');
  const key = keyFunc(ctx, attr, caseSensitive);
  let best = items[0];
  for (const v of items.slice(1)) if (compare(key(v), key(best)) * sign < 0) best = v;
  return best;
}

function striptags(value: string): string {
  const text = value.replace(/<!--.*?-->|<[^>]*>/gs, '');
  const unescaped = text.replace(
    /&(amp|lt|gt|quot|#34|#39|apos);/g,
    (_m, e: string) =>
      ({ amp: '&', lt: '<', gt: '>', quot: '"', '#34': '"', '#39': "'", apos: "'" })[e] ?? '',
  );
  return unescaped.split(/\s+/).filter(Boolean).join(' ');
}

function title(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter(Boolean)
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

function tojson(value: unknown, indentArg: unknown): Markup {
  const text = pythonJsonDumps(value, {
    ...(indentArg === null || indentArg === undefined ? {} : { indent: indentArg as number }),
    sortKeys: true,
  });
  return new Markup(text.replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`));
}

function sum(ctx: RenderContext, value: unknown, attr: unknown, start: unknown): unknown {
  const get = attr === null || attr === undefined ? (v: unknown): unknown => v : attrGetter(ctx, attr);
  let total: unknown = start;
  for (const v of iterate(value)) total = addValues(total, get(v));
  return total;
}

function addValues(a: unknown, b: unknown): unknown {
  if (isFloat(a) || isFloat(b)) return float(toNumber(a) + toNumber(b));
  if (!(isNumber(a) || typeof a === 'boolean') || !(isNumber(b) || typeof b === 'boolean')) {
    throw new EvalError(`unsupported operand type(s) for +`);
  }
  return toNumber(a) + toNumber(b);
}

function unique(ctx: RenderContext, value: unknown, caseSensitive: unknown, attr: unknown): unknown[] {
  const key = keyFunc(ctx, attr, caseSensitive);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const v of iterate(value)) {
    const k = key(v);
    if (seen.some((s) => equals(s, k))) continue;
    seen.push(k);
    out.push(v);
  }
  return out;
}

function dictsort(value: unknown, caseSensitive: unknown, by: unknown, reverse: unknown): unknown[] {
  if (!(value instanceof Map)) throw new EvalError('dictsort requires a mapping');
  const pos = by === 'key' ? 0 : by === 'value' ? 1 : undefined;
  if (pos === undefined) throw new EvalError('You can only sort by either "key" or "value"');
  const pairs = [...value].map(([k, v]) => tuple([k, v]));
  return sorted(pairs, (p) => lowerIf(caseSensitive, (p as unknown[])[pos]), truthy(reverse));
}

function sortFilter(
  ctx: RenderContext,
  value: unknown,
  reverse: unknown,
  caseSensitive: unknown,
  attr: unknown,
): unknown[] {
  const items = iterate(value);
  if (typeof attr === 'string' && attr.includes(',')) {
    const keys = attr.split(',').map((a) => keyFunc(ctx, a.trim(), caseSensitive));
    return sorted(items, (v) => keys.map((k) => k(v)), truthy(reverse));
  }
  return sorted(items, keyFunc(ctx, attr, caseSensitive), truthy(reverse));
}

function batch(value: unknown, count: unknown, fill: unknown): unknown[] {
  const n = toNumber(count);
  const out: unknown[][] = [];
  for (const v of iterate(value)) {
    const last = out[out.length - 1];
    if (last && last.length < n) last.push(v);
    else out.push([v]);
  }
  const last = out[out.length - 1];
  if (last && fill !== null && fill !== undefined) while (last.length < n) last.push(fill);
  return out;
}

function sliceFilter(value: unknown, slices: unknown, fill: unknown): unknown[] {
  const seq = iterate(value);
  const n = toNumber(slices);
  const perSlice = Math.floor(seq.length / n);
  const withExtra = seq.length % n;
  let offset = 0;
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const start = offset + i * perSlice;
    if (i < withExtra) offset++;
    const end = offset + (i + 1) * perSlice;
    const part = seq.slice(start, end);
    if (fill !== null && fill !== undefined && i >= withExtra) part.push(fill);
    out.push(part);
  }
  return out;
}

function xmlattr(value: unknown, autospace: unknown): string {
  if (!(value instanceof Map)) throw new EvalError('xmlattr requires a mapping');
  const parts: string[] = [];
  for (const [k, v] of value) {
    if (v === null || v === undefined || isUndefined(v)) continue;
    const key = str(k);
    if (/[\s/>=]/.test(key))
      throw new EvalError(`Invalid character in attribute name: ${JSON.stringify(key)}`);
    parts.push(`${escape(key).text}="${escape(v).text}"`);
  }
  const rv = parts.join(' ');
  return rv && truthy(autospace) ? ' ' + rv : rv;
}

function f(
  params: readonly (readonly [string, unknown])[],
  body: (ctx: RenderContext, value: unknown, ...bound: unknown[]) => unknown,
  name = '',
): Filter {
  return (ctx, value, args, kwargs) => body(ctx, value, ...bind(name, params, args, kwargs));
}

/** Values a filter fails on when strict, as Jinja2's filters do (they print or iterate their input). */
function strictInput(filter: Filter): Filter {
  return (ctx, value, args, kwargs) => filter(ctx, defined(value), args, kwargs);
}

const FILTERS: Record<string, Filter> = {
  abs: (_c, v) => {
    if (typeof v === 'bigint') return v < 0n ? -v : v;
    const n = toNumber(v);
    return isFloat(v) ? float(Math.abs(n)) : Math.abs(n);
  },
  attr: (ctx, v, [name]) => attribute(ctx, v, str(name), '', true),
  batch: f(
    [
      ['linecount', undefined],
      ['fill_with', null],
    ],
    (_c, v, n, fill) => batch(v, n, fill),
    'batch',
  ),
  capitalize: (_c, v) => {
    const s = str(v);
    return (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase();
  },
  center: f([['width', 80]], (_c, v, w) => center(str(v), toNumber(w)), 'center'),
  default: f(
    [
      ['default_value', ''],
      ['boolean', false],
    ],
    (_c, v, dflt, boolean) => (isUndefined(v) || (truthy(boolean) && !truthy(v)) ? dflt : v),
    'default',
  ),
  dictsort: f(
    [
      ['case_sensitive', false],
      ['by', 'key'],
      ['reverse', false],
    ],
    (_c, v, cs, by, rev) => dictsort(v, cs, by, rev),
    'dictsort',
  ),
  escape: (_c, v) => escape(v),
  filesizeformat: f([['binary', false]], (_c, v, b) => filesize(v, b), 'filesizeformat'),
  first: (ctx, v) => {
    const items = iterate(v);
    return items.length > 0 ? items[0] : ctx.undefined('', 'No first item, sequence was empty.');
  },
  float: f([['default', float(0)]], (_c, v, d) => toFloat(v, d), 'float'),
  forceescape: (_c, v) => escape(str(v)),
  format: (_c, v, args, kwargs) => percentFormat(str(v), kwargs.size > 0 ? kwargs : tuple(args)),
  groupby: f(
    [
      ['attribute', undefined],
      ['default', null],
      ['case_sensitive', false],
    ],
    (ctx, v, a, d, cs) => groupby(ctx, v, a, d, cs),
    'groupby',
  ),
  indent: f(
    [
      ['width', 4],
      ['first', false],
      ['blank', false],
    ],
    (_c, v, w, first, blank) => indent(v, w, first, blank),
    'indent',
  ),
  int: f(
    [
      ['default', 0],
      ['base', 10],
    ],
    (_c, v, d, b) => toInt(v, d, b),
    'int',
  ),
  items: (_c, v) => {
    if (isUndefined(v)) return [];
    if (!(v instanceof Map)) throw new EvalError(`Can only get item pairs from a mapping.`);
    return [...v].map(([k, x]) => tuple([k, x]));
  },
  join: f(
    [
      ['d', ''],
      ['attribute', null],
    ],
    (ctx, v, d, a) => {
      const items = iterate(v);
      const values = a === null || a === undefined ? items : items.map(attrGetter(ctx, a));
      return values.map(str).join(str(d));
    },
    'join',
  ),
  last: (ctx, v) => {
    const items = iterate(v);
    return items.length > 0
      ? items[items.length - 1]
      : ctx.undefined('', 'No last item, sequence was empty.');
  },
  length: (_c, v) => length(v),
  list: (_c, v) => [...iterate(v)],
  lower: (_c, v) => str(v).toLowerCase(),
  map: (ctx, v, args, kwargs) => mapFilter(ctx, v, args, kwargs),
  max: f(
    [
      ['case_sensitive', false],
      ['attribute', null],
    ],
    (ctx, v, cs, a) => minMax(ctx, v, cs, a, -1),
    'max',
  ),
  min: f(
    [
      ['case_sensitive', false],
      ['attribute', null],
    ],
    (ctx, v, cs, a) => minMax(ctx, v, cs, a, 1),
    'min',
  ),
  pprint: (_c, v) => (typeof v === 'string' ? `'${v}'` : str(v)),
  random: (_c, v) => {
    const items = iterate(v);
    return items[Math.floor(Math.random() * items.length)];
  },
  reject: (ctx, v, args) => selectOrReject(ctx, v, args, false, false),
  rejectattr: (ctx, v, args) => selectOrReject(ctx, v, args, true, false),
  replace: f(
    [
      ['old', undefined],
      ['new', undefined],
      ['count', null],
    ],
    (_c, v, o, n, count) => {
      const s = str(v);
      const [from, to] = [str(o), str(n)];
      if (from === '')
        return count === null || count === undefined ? (s ? to + [...s].join(to) + to : to) : s;
      if (count === null || count === undefined) return s.split(from).join(to);
      let out = s;
      let at = 0;
      for (let i = 0; i < toNumber(count); i++) {
        const found = out.indexOf(from, at);
        if (found < 0) break;
        out = out.slice(0, found) + to + out.slice(found + from.length);
        at = found + to.length;
      }
      return out;
    },
    'replace',
  ),
  reverse: (_c, v) => (isString(v) ? [...str(v)].reverse().join('') : [...iterate(v)].reverse()),
  round: f(
    [
      ['precision', 0],
      ['method', 'common'],
    ],
    (_c, v, p, m) => {
      const precision = toNumber(p);
      const n = toNumber(v);
      if (m === 'common') return isInt(v) ? v : float(pyRound(n, precision));
      if (m !== 'ceil' && m !== 'floor') throw new EvalError('method must be common, ceil or floor');
      const scale = 10 ** precision;
      return float((m === 'ceil' ? Math.ceil(n * scale) : Math.floor(n * scale)) / scale);
    },
    'round',
  ),
  safe: (_c, v) => new Markup(str(v)),
  select: (ctx, v, args) => selectOrReject(ctx, v, args, false, true),
  selectattr: (ctx, v, args) => selectOrReject(ctx, v, args, true, true),
  slice: f(
    [
      ['slices', undefined],
      ['fill_with', null],
    ],
    (_c, v, n, fill) => sliceFilter(v, n, fill),
    'slice',
  ),
  sort: f(
    [
      ['reverse', false],
      ['case_sensitive', false],
      ['attribute', null],
    ],
    (ctx, v, r, cs, a) => sortFilter(ctx, v, r, cs, a),
    'sort',
  ),
  string: (_c, v) => (v instanceof Markup ? v : str(v)),
  striptags: (_c, v) => striptags(str(v)),
  sum: f(
    [
      ['attribute', null],
      ['start', 0],
    ],
    (ctx, v, a, s) => sum(ctx, v, a, s),
    'sum',
  ),
  title: (_c, v) => title(str(v)),
  tojson: f([['indent', null]], (_c, v, i) => tojson(v, i), 'tojson'),
  trim: f(
    [['chars', null]],
    (_c, v, chars) =>
      strip(str(v), chars === null || chars === undefined ? undefined : str(chars), true, true),
    'trim',
  ),
  truncate: f(
    [
      ['length', 255],
      ['killwords', false],
      ['end', '...'],
      ['leeway', null],
    ],
    (_c, v, l, k, e, lw) =>
      truncate(str(v), toNumber(l), k, str(e), lw === null || lw === undefined ? 5 : toNumber(lw)),
    'truncate',
  ),
  unique: f(
    [
      ['case_sensitive', false],
      ['attribute', null],
    ],
    (ctx, v, cs, a) => unique(ctx, v, cs, a),
    'unique',
  ),
  upper: (_c, v) => str(v).toUpperCase(),
  urlencode: (_c, v) => urlencode(v),
  wordcount: (_c, v) => (str(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  wordwrap: f(
    [
      ['width', 79],
      ['break_long_words', true],
      ['wrapstring', null],
      ['break_on_hyphens', true],
    ],
    (_c, v, w, bl, ws, bh) => {
      const wrap = ws === null || ws === undefined ? '\n' : str(ws);
      return splitlines(str(v))
        .map((line) => wrapLine(line, toNumber(w), truthy(bl), truthy(bh)).join(wrap))
        .join(wrap);
    },
    'wordwrap',
  ),
  xmlattr: f([['autospace', true]], (_c, v, a) => xmlattr(v, a), 'xmlattr'),
};

const ALIASES: Record<string, string> = { d: 'default', e: 'escape', count: 'length' };
/** Filters that take nothing but their input; Jinja2 refuses extra arguments to them. */
const NO_ARGUMENTS = new Set([
  'abs',
  'capitalize',
  'escape',
  'first',
  'last',
  'length',
  'list',
  'lower',
  'upper',
  'reverse',
  'safe',
  'string',
  'striptags',
  'title',
  'urlencode',
  'wordcount',
  'forceescape',
  'items',
  'pprint',
  'random',
]);

function noArguments(name: string, filter: Filter): Filter {
  return (ctx, value, args, kwargs) => {
    if (args.length > 0 || kwargs.size > 0)
      throw new EvalError(`${name}() takes no arguments besides its input`);
    return filter(ctx, value, args, kwargs);
  };
}
const LENIENT_INPUT = new Set(['default', 'd', 'items', 'attr']);

/** Jinja2's built-in filters, with json_dump (Python's json.dumps, as the original tool registered it). */
export function builtinFilters(): Map<string, Filter> {
  const filters = new Map<string, Filter>();
  for (const [name, filter] of Object.entries(FILTERS)) {
    const checked = NO_ARGUMENTS.has(name) ? noArguments(name, filter) : filter;
    filters.set(name, LENIENT_INPUT.has(name) ? checked : strictInput(checked));
  }
  for (const [alias, target] of Object.entries(ALIASES)) {
    const filter = filters.get(target);
    if (filter) filters.set(alias, filter);
  }
  return filters;
}
