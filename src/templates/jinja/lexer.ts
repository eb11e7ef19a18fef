/**
 * Jinja2's lexer with its default settings: {{ }}, {% %}, {# #}, "-" strips the whitespace next to a tag,
 * no trim_blocks/lstrip_blocks, {% raw %} blocks, and the single trailing newline of a template dropped.
 */
export type TokenType =
  | 'data'
  | 'variable_begin'
  | 'variable_end'
  | 'block_begin'
  | 'block_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'operator'
  | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  line: number;
}

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const OPERATORS = [
  '//',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '+',
  '-',
  '/',
  '*',
  '%',
  '~',
  '<',
  '>',
  '=',
  '.',
  ',',
  ':',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

const NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT = /(?<!\.)\d(?:_?\d)*(?:\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|[eE][+-]?\d(?:_?\d)*)/y;
const INTEGER = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|\d(?:_?\d)*/y;
const STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/sy;
const WHITESPACE = /\s+/y;
const RAW = /\{%(-?)\s*raw\s*(-?)%\}/y;

export function tokenize(source: string): Token[] {
  const text = source.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  const lineOf = lineIndex(text);
  const tokens: Token[] = [];
  let pos = 0;
  let stripNext = false;
  const pushData = (data: string, at: number): void => {
    if (stripNext) data = data.replace(/^\s+/, '');
    stripNext = false;
    if (data) tokens.push({ type: 'data', value: data, line: lineOf(at) });
  };
  while (pos < text.length) {
    const start = nextTagStart(text, pos);
    if (start < 0) {
      pushData(text.slice(pos), pos);
      break;
    }
    const opener = text.slice(start, start + 2);
    const stripBefore = text[start + 2] === '-';
    const data = text.slice(pos, start);
    pushData(stripBefore ? data.replace(/\s+$/, '') : data, pos);
    let inner = start + 2 + (stripBefore || text[start + 2] === '+' ? 1 : 0);
    if (opener === '{#') {
      const end = text.indexOf('#}', inner);
      if (end < 0) throw new TemplateSyntaxError('missing end of comment tag', lineOf(start));
      stripNext = text[end - 1] === '-';
      pos = end + 2;
      continue;
    }
    RAW.lastIndex = start;
    const raw = opener === '{%' ? RAW.exec(text) : null;
    if (raw) {
      const close = /\{%(-?)\s*endraw\s*(-?)%\}/g;
      close.lastIndex = RAW.lastIndex;
      const end = close.exec(text);
      if (!end) throw new TemplateSyntaxError('missing end of raw directive', lineOf(start));
      let body = text.slice(RAW.lastIndex, end.index);
      if (raw[2]) body = body.replace(/^\s+/, '');
      if (end[1]) body = body.replace(/\s+$/, '');
      if (body) tokens.push({ type: 'data', value: body, line: lineOf(RAW.lastIndex) });
      stripNext = end[2] === '-';
      pos = end.index + end[0].length;
      continue;
    }
    const isBlock = opener === '{%';
    tokens.push({ type: isBlock ? 'block_begin' : 'variable_begin', value: opener, line: lineOf(start) });
    const closer = isBlock ? '%}' : '}}';
    const balance: string[] = [];
    for (;;) {
      WHITESPACE.lastIndex = inner;
      if (WHITESPACE.exec(text)) inner = WHITESPACE.lastIndex;
      if (inner >= text.length) {
        const what = isBlock ? 'end of statement block' : 'end of print statement';
        throw new TemplateSyntaxError(`unexpected end of template, expected '${what}'`, lineOf(start));
      }
      if (balance.length === 0) {
        const minus = text[inner] === '-' && text.startsWith(closer, inner + 1);
        const plus = text[inner] === '+' && text.startsWith(closer, inner + 1);
        if (minus || plus || text.startsWith(closer, inner)) {
          tokens.push({ type: isBlock ? 'block_end' : 'variable_end', value: closer, line: lineOf(inner) });
          stripNext = minus;
          pos = inner + (minus || plus ? 1 : 0) + 2;
          break;
        }
      }
      const { token, end } = expressionToken(text, inner, lineOf(inner));
      tokens.push(token);
      inner = end;
      const op = token.type === 'operator' ? token.value : '';
      if (op === '(' || op === '[' || op === '{') balance.push(op);
      else if (op === ')' || op === ']' || op === '}') {
        const open = balance.pop();
        if (open !== PAIRS[op]) throw new TemplateSyntaxError(`unexpected '${op}'`, token.line);
      }
    }
  }
  tokens.push({ type: 'eof', value: '', line: lineOf(text.length) });
  return tokens;
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Maps an offset to its 1-based line. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function nextTagStart(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i >= 0; i = text.indexOf('{', i + 1)) {
    const next = text[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

function expressionToken(text: string, at: number, line: number): { token: Token; end: number } {
  for (const [re, type] of [
    [FLOAT, 'float'],
    [INTEGER, 'integer'],
    [NAME, 'name'],
    [STRING, 'string'],
  ] as const) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m) {
      const value = type === 'string' ? unescapeString(m[0], line) : m[0];
      return { token: { type, value, line }, end: re.lastIndex };
    }
  }
  const op = OPERATORS.find((o) => text.startsWith(o, at));
  if (op) return { token: { type: 'operator', value: op, line }, end: at + op.length };
  const ch = text[at] ?? '';
  if (ch === '"' || ch === "'") throw new TemplateSyntaxError('unexpected end of string', line);
  throw new TemplateSyntaxError(`unexpected char ${JSON.stringify(ch)}`, line);
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

/** Python's string literal escapes (\n, \t, \xNN, \uNNNN, \UNNNNNNNN); unknown escapes stay as written. */
function unescapeString(literal: string, line: number): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|[\s\S])/g, (all, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    const simple = ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (esc === 'x' || esc === 'u' || esc === 'U')
      throw new TemplateSyntaxError('invalid string escape', line);
    return all;
  });
}
