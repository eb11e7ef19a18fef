import { UserError } from '../errors/index.js';

/** A values tree as templates see it: YAML-compatible data. */
export type Values = Record<string, unknown>;

/** Helm's limits (pkg/strvals): list indexes and key nesting. */
const MAX_INDEX = 65536;
const MAX_NESTING = 30;
const EOF = undefined;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class SetSyntaxError extends Error {}

/**
 * Parses one `--set` argument the way Helm's strvals does (`a.b=c,list[0]=x,tags={a,b}`, `\` escapes the
 * next character) and merges it into `into`. Values are typed: true/false/null, decimal int64, else string.
 */
export function parseSetExpression(expression: string, into: Values = {}): Values {
  const scanner = new Scanner(expression);
  try {
    while (key(scanner, into, 0) === 'more');
    return into;
  } catch (err) {
    if (!(err instanceof SetSyntaxError)) throw err;
    throw new UserError(
      `invalid --set ${JSON.stringify(expression)}: ${err.message}`,
      'write --set key=value (a.b=1, list[0]=x, list={a,b}); escape "," "." "=" "[" with a backslash',
    );
  }
}

/** Helm's typedVal: case-insensitive true/false/null, "0", decimal integers not starting with 0; else string. */
export function typedValue(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0;
  if (text.length > 0 && !text.startsWith('0') && /^[+-]?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    // int64 values beyond 2^53 would lose digits as JS numbers: they stay exact as bigints
    const big = BigInt(text);
    if (big >= INT64_MIN && big <= INT64_MAX) return big;
  }
  return text;
}

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  read(): string | undefined {
    const ch = this.text[this.pos];
    if (ch !== undefined) this.pos++;
    return ch;
  }

  unread(): void {
    this.pos--;
  }

  /** Reads up to (and consuming) the first unescaped stop character; `last` is undefined at the end. */
  until(stops: string): { text: string; last: string | undefined } {
    let text = '';
    for (;;) {
      const ch = this.read();
      if (ch === EOF || stops.includes(ch)) return { text, last: ch };
      if (ch === '\\') {
        const next = this.read();
        if (next === EOF) return { text, last: EOF };
        text += next;
      } else {
        text += ch;
      }
    }
  }
}

function key(sc: Scanner, data: Values, nesting: number): 'more' | 'done' {
  const { text: k, last } = sc.until('=[,.');
  if (last === EOF) {
    if (k.length === 0) return 'done';
    throw new SetSyntaxError(`key "${k}" has no value`);
  }
  if (k.length === 0) throw new SetSyntaxError(`empty key before "${last}"`);
  switch (last) {
    case '[': {
      const list = existingList(data[k], k);
      data[k] = listItem(sc, list, keyIndex(sc), nesting);
      return 'more';
    }
    case '=':
      return assign(sc, (v) => (data[k] = v));
    case ',':
      throw new SetSyntaxError(`key "${k}" has no value (cannot end with ,)`);
    default: {
      if (nesting + 1 > MAX_NESTING) throw new SetSyntaxError(`keys nest deeper than ${MAX_NESTING} levels`);
      const inner = existingMap(data[k], k);
      const state = key(sc, inner, nesting + 1);
      if (Object.keys(inner).length === 0) throw new SetSyntaxError(`key map "${k}" has no value`);
      data[k] = inner;
      return state;
    }
  }
}

/** After `=`: a `{a,b}` list, an empty value at the end, or a typed scalar up to the next comma. */
function assign(sc: Scanner, set: (value: unknown) => void): 'more' | 'done' {
  const first = sc.read();
  if (first === EOF) {
    set('');
    return 'done';
  }
  if (first === '{') {
    set(valueList(sc));
    return 'more';
  }
  sc.unread();
  const { text, last } = sc.until(',');
  set(typedValue(text));
  return last === EOF ? 'done' : 'more';
}

function valueList(sc: Scanner): unknown[] {
  const list: unknown[] = [];
  for (;;) {
    const { text, last } = sc.until(',}');
    if (last === EOF) throw new SetSyntaxError("list must terminate with '}'");
    list.push(typedValue(text));
    if (last === '}') {
      const next = sc.read();
      if (next !== ',' && next !== EOF) sc.unread();
      return list;
    }
  }
}

function keyIndex(sc: Scanner): number {
  const { text, last } = sc.until(']');
  if (last === EOF) throw new SetSyntaxError(`list index "[${text}" is not closed with "]"`);
  if (!/^[+-]?\d+$/.test(text)) throw new SetSyntaxError(`list index "${text}" is not a number`);
  const index = Number(text);
  if (index < 0) throw new SetSyntaxError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new SetSyntaxError(`index ${index} is greater than the maximum ${MAX_INDEX}`);
  return index;
}

function listItem(sc: Scanner, list: unknown[], index: number, nesting: number): unknown[] {
  const { text, last } = sc.until('[.=');
  if (text.length > 0) throw new SetSyntaxError(`unexpected data at end of array index: "${text}"`);
  const set = (value: unknown): unknown[] => {
    while (list.length <= index) list.push(null);
    list[index] = value;
    return list;
  };
  switch (last) {
    case '=':
      assign(sc, set);
      return list;
    case '[': {
      const inner = existingList(list[index] ?? undefined, `[${index}]`);
      return set(listItem(sc, inner, keyIndex(sc), nesting));
    }
    case '.': {
      const current = list[index];
      const inner = isValues(current) ? current : {};
      key(sc, inner, nesting);
      return set(inner);
    }
    case EOF:
      // `name[0]` alone: Helm leaves an empty list
      return list;
    default:
      throw new SetSyntaxError(`list item [${index}] has no value`);
  }
}

function existingList(value: unknown, name: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as unknown[];
  throw new SetSyntaxError(`"${name}" is already set to a value that is not a list`);
}

function existingMap(value: unknown, name: string): Values {
  if (value === undefined) return {};
  if (isValues(value)) return value;
  throw new SetSyntaxError(`"${name}" is already set to a value that is not a map`);
}

/** A plain mapping (not a list, not null). */
export function isValues(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
