import {
  EvalError,
  floatRepr,
  isFloat,
  isInt,
  isNumber,
  isTuple,
  repr,
  str,
  toNumber,
  typeName,
} from './values.js';

const PERCENT =
  /%(?:\((?<key>[^)]*)\))?(?<flags>[-+ #0]*)(?<width>\*|\d+)?(?:\.(?<precision>\*|\d+))?[hlL]?(?<conv>[diouxXeEfFgGcrsa%])/g;

/** Python's `'...' % args` (printf-style formatting). */
export function percentFormat(format: string, args: unknown): string {
  const positional: unknown[] = Array.isArray(args) && isTuple(args) ? [...(args as unknown[])] : [args];
  const mapping = args instanceof Map ? args : undefined;
  let used = 0;
  const out = format.replace(PERCENT, (...m: unknown[]) => {
    const groups = m[m.length - 1] as Record<string, string | undefined>;
    const conv = groups.conv ?? 's';
    if (conv === '%') return '%';
    let value: unknown;
    if (groups.key !== undefined) {
      if (!mapping) throw new EvalError('format requires a mapping');
      value = mapping.get(groups.key);
    } else {
      if (used >= positional.length) throw new EvalError('not enough arguments for format string');
      value = positional[used++];
    }
    const precision = groups.precision === undefined ? undefined : Number(groups.precision);
    return pad(convert(conv, value, precision, groups.flags ?? ''), groups.width, groups.flags ?? '', conv);
  });
  if (!mapping && used < positional.length)
    throw new EvalError('not all arguments converted during string formatting');
  return out;
}

function convert(conv: string, value: unknown, precision: number | undefined, flags: string): string {
  switch (conv) {
    case 's':
      return precision === undefined ? str(value) : str(value).slice(0, precision);
    case 'r':
    case 'a':
      return repr(value);
    case 'd':
    case 'i':
    case 'u':
      return sign(Math.trunc(number(value, conv)), flags, (n) => String(n));
    case 'x':
    case 'X':
    case 'o': {
      const radix = conv === 'o' ? 8 : 16;
      const prefix = flags.includes('#') ? `0${conv}` : '';
      const text = (n: number): string => prefix + n.toString(radix);
      return sign(Math.trunc(number(value, conv)), flags, (n) =>
        conv === 'X' ? text(n).toUpperCase() : text(n),
      );
    }
    case 'f':
    case 'F':
      return sign(number(value, conv), flags, (n) => n.toFixed(precision ?? 6));
    case 'e':
    case 'E': {
      const text = sign(number(value, conv), flags, (n) => exponent(n, precision ?? 6));
      return conv === 'E' ? text.toUpperCase() : text;
    }
    case 'g':
    case 'G':
      return sign(number(value, conv), flags, (n) => general(n, precision ?? 6));
    case 'c':
      return typeof value === 'number' ? String.fromCodePoint(value) : str(value);
    default:
      return str(value);
  }
}

function number(value: unknown, conv: string): number {
  if (isNumber(value) || typeof value === 'boolean') return toNumber(value);
  throw new EvalError(`%${conv} format: a real number is required, not ${typeName(value)}`);
}

function sign(n: number, flags: string, body: (abs: number) => string): string {
  const text = body(Math.abs(n));
  if (n < 0 || Object.is(n, -0)) return '-' + text;
  if (flags.includes('+')) return '+' + text;
  if (flags.includes(' ')) return ' ' + text;
  return text;
}

function exponent(n: number, precision: number): string {
  const [mant = '', exp = '0'] = n.toExponential(precision).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function general(n: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(n)));
  if (e < -4 || e >= p) return exponent(n, p - 1).replace(/\.?0+e/, 'e');
  return n
    .toFixed(Math.max(0, p - 1 - e))
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

function pad(text: string, width: string | undefined, flags: string, conv: string): string {
  const w = width === undefined ? 0 : Number(width);
  if (text.length >= w) return text;
  if (flags.includes('-')) return text.padEnd(w);
  if (flags.includes('0') && conv !== 's' && conv !== 'r') {
    const signChar = /^[-+ ]/.test(text) ? (text[0] ?? '') : '';
    return signChar + text.slice(signChar.length).padStart(w - signChar.length, '0');
  }
  return text.padStart(w);
}

const BRACES = /\{\{|\}\}|\{([^{}:!]*)(?:!([rsa]))?(?::([^{}]*))?\}/g;

/** Python's str.format with the common format specs ([[fill]align][sign][width][,][.precision][type]). */
export function pyFormat(format: string, args: unknown[], kwargs: Map<string, unknown>): string {
  let auto = 0;
  return format.replace(
    BRACES,
    (all, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
      if (all === '{{') return '{';
      if (all === '}}') return '}';
      const name = field ?? '';
      const [head = '', ...path] = name.split('.');
      let value: unknown;
      if (head === '') value = args[auto++];
      else if (/^\d+$/.test(head)) value = args[Number(head)];
      else value = kwargs.get(head);
      for (const attr of path) value = value instanceof Map ? value.get(attr) : undefined;
      if (conversion === 'r' || conversion === 'a') value = repr(value);
      else if (conversion === 's') value = str(value);
      return formatSpec(value, spec ?? '');
    },
  );
}

const SPEC =
  /^(?:(?<fill>.)?(?<align>[<>^=]))?(?<sign>[-+ ])?(?<alt>#)?(?<zero>0)?(?<width>\d+)?(?<comma>[,_])?(?:\.(?<precision>\d+))?(?<type>[bcdeEfFgGnosxX%])?$/su;

/** Python's format(value, spec). */
export function formatSpec(value: unknown, spec: string): string {
  const m = SPEC.exec(spec);
  if (!m?.groups) throw new EvalError(`Invalid format specifier '${spec}'`);
  const g = m.groups;
  const precision = g.precision === undefined ? undefined : Number(g.precision);
  let text: string;
  const type = g.type;
  const numeric = isNumber(value) || typeof value === 'boolean';
  if (type === undefined && !numeric)
    text = precision === undefined ? str(value) : str(value).slice(0, precision);
  else if (!numeric)
    throw new EvalError(`Unknown format code '${type ?? ''}' for object of type '${typeName(value)}'`);
  else {
    const n = toNumber(value);
    const body = (abs: number): string => {
      switch (type) {
        case 'd':
        case 'n':
          return group(String(Math.trunc(abs)), g.comma);
        case 'x':
          return abs.toString(16);
        case 'X':
          return abs.toString(16).toUpperCase();
        case 'o':
          return abs.toString(8);
        case 'b':
          return abs.toString(2);
        case 'f':
        case 'F':
          return groupFixed(abs.toFixed(precision ?? 6), g.comma);
        case 'e':
        case 'E':
          return exponent(abs, precision ?? 6);
        case '%':
          return (abs * 100).toFixed(precision ?? 6) + '%';
        case 'g':
        case 'G':
          return general(abs, precision ?? 6);
        default:
          if (precision !== undefined) return general(abs, precision);
          if (isInt(value) || typeof value === 'boolean') return group(String(abs), g.comma);
          return groupFixed(isFloat(value) ? floatRepr(abs) : String(abs), g.comma);
      }
    };
    text = sign(n, g.sign === '-' || g.sign === undefined ? '' : g.sign, body);
  }
  const width = g.width === undefined ? 0 : Number(g.width);
  const fill = g.fill ?? (g.zero ? '0' : ' ');
  const align = g.align ?? (g.zero && numeric ? '=' : numeric ? '>' : '<');
  if (text.length >= width) return text;
  const missing = width - text.length;
  switch (align) {
    case '<':
      return text + fill.repeat(missing);
    case '^':
      return fill.repeat(Math.floor(missing / 2)) + text + fill.repeat(Math.ceil(missing / 2));
    case '=': {
      const s = /^[-+ ]/.test(text) ? (text[0] ?? '') : '';
      return s + fill.repeat(missing) + text.slice(s.length);
    }
    default:
      return fill.repeat(missing) + text;
  }
}

function group(digits: string, sep: string | undefined): string {
  return sep ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : digits;
}

function groupFixed(text: string, sep: string | undefined): string {
  const [whole = '', fraction] = text.split('.');
  return group(whole, sep) + (fraction === undefined ? '' : '.' + fraction);
}
