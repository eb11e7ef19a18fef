import type { CallArgs, Expr, MacroDef, Node } from './ast.js';
import { TemplateSyntaxError, tokenize, type Token } from './lexer.js';
import { PyFloat } from './values.js';

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const PRIMARY_START = new Set(['name', 'string', 'integer', 'float']);

/** Parses a template the way Jinja2's parser does (same precedence, same tags, same errors where it matters). */
export function parseTemplate(source: string): Node[] {
  const parser = new Parser(tokenize(source));
  const body = parser.subparse([]);
  parser.expectEof();
  return body;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private get current(): Token {
    return this.tokens[this.pos] ?? { type: 'eof', value: '', line: 0 };
  }

  private peek(n = 1): Token {
    return this.tokens[this.pos + n] ?? { type: 'eof', value: '', line: 0 };
  }

  private next(): Token {
    const token = this.current;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private is(type: Token['type'], value?: string): boolean {
    return this.current.type === type && (value === undefined || this.current.value === value);
  }

  private isOp(value: string): boolean {
    return this.is('operator', value);
  }

  private isName(value: string): boolean {
    return this.is('name', value);
  }

  private skipIf(type: Token['type'], value?: string): boolean {
    if (!this.is(type, value)) return false;
    this.next();
    return true;
  }

  private expect(type: Token['type'], value?: string): Token {
    if (this.is(type, value)) return this.next();
    const want = value ?? type;
    const got =
      this.current.type === 'eof' ? 'end of template' : `'${this.current.value || this.current.type}'`;
    throw new TemplateSyntaxError(`expected token '${want}', got ${got}`, this.current.line);
  }

  private fail(message: string, line = this.current.line): never {
    throw new TemplateSyntaxError(message, line);
  }

  expectEof(): void {
    if (!this.is('eof')) this.fail(`unexpected '${this.current.value}'`);
  }

  /** Nodes up to a block tag whose name is in `endTags` (left unconsumed after its `{%`). */
  subparse(endTags: readonly string[]): Node[] {
    const body: Node[] = [];
    for (;;) {
      const token = this.current;
      if (token.type === 'eof') {
        if (endTags.length > 0) {
          this.fail(
            `unexpected end of template: Jinja was looking for the following tags: ${endTags.map((t) => `'${t}'`).join(' or ')}. The innermost block that needs to be closed is '${blockOf(endTags)}'.`,
          );
        }
        return body;
      }
      if (token.type === 'data') {
        body.push({ kind: 'output', text: this.next().value, line: token.line });
      } else if (token.type === 'variable_begin') {
        this.next();
        body.push({ kind: 'print', expr: this.parseTuple(), line: token.line });
        this.expect('variable_end');
      } else if (token.type === 'block_begin') {
        this.next();
        if (this.is('name') && endTags.includes(this.current.value)) return body;
        body.push(...this.parseStatement());
      } else {
        this.fail(`unexpected '${token.value}'`);
      }
    }
  }

  /** Body of a block up to one of `endTags`; consumes the end tag's name (not its `%}` unless `drop`). */
  private parseBody(endTags: readonly string[], drop = false): Node[] {
    const body = this.subparse(endTags);
    const endTag = this.next();
    if (drop) this.endOfBlock(endTag.value);
    return body;
  }

  private endOfBlock(tag: string): void {
    if (!this.is('block_end'))
      this.fail(`expected token 'end of statement block', got '${this.current.value}' in '${tag}'`);
    this.next();
  }

  private parseStatement(): Node[] {
    const token = this.current;
    if (token.type !== 'name') this.fail('tag name expected');
    const line = token.line;
    switch (token.value) {
      case 'for':
        return [this.parseFor()];
      case 'if':
        return [this.parseIf()];
      case 'set':
        return [this.parseSet()];
      case 'macro':
        return [this.parseMacro()];
      case 'call':
        return [this.parseCallBlock()];
      case 'filter':
        return [this.parseFilterBlock()];
      case 'with':
        return [this.parseWith()];
      case 'block':
        return [this.parseBlock()];
      case 'extends': {
        this.next();
        const template = this.parseExpression();
        this.endOfBlock('extends');
        return [{ kind: 'extends', template, line }];
      }
      case 'include':
        return [this.parseInclude()];
      case 'import':
        return [this.parseImport()];
      case 'from':
        return [this.parseFrom()];
      case 'autoescape': {
        this.next();
        const autoescape = this.parseExpression();
        this.endOfBlock('autoescape');
        return [{ kind: 'scope', body: this.parseBody(['endautoescape'], true), autoescape, line }];
      }
      default:
        return this.fail(`Encountered unknown tag '${token.value}'.`);
    }
  }

  private parseFor(): Node {
    const line = this.expect('name', 'for').line;
    const target = this.parseAssignTarget(['in']);
    this.expect('name', 'in');
    const iter = this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
    let filter: Expr | undefined;
    if (this.skipIf('name', 'if')) filter = this.parseExpression();
    const recursive = this.skipIf('name', 'recursive');
    this.endOfBlock('for');
    const body = this.subparse(['endfor', 'else']);
    let otherwise: Node[] = [];
    if (this.next().value === 'else') {
      this.endOfBlock('else');
      otherwise = this.parseBody(['endfor']);
    }
    this.endOfBlock('endfor');
    return { kind: 'for', target, iter, ...(filter ? { filter } : {}), body, otherwise, recursive, line };
  }

  private parseIf(): Node {
    const line = this.expect('name', 'if').line;
    const test = this.parseTuple({ withCondexpr: false });
    this.endOfBlock('if');
    const body = this.subparse(['elif', 'else', 'endif']);
    const tag = this.next().value;
    let otherwise: Node[] = [];
    if (tag === 'elif') {
      this.pos--;
      this.tokens[this.pos] = { ...this.current, value: 'if' };
      otherwise = [this.parseIf()];
      return { kind: 'if', test, body, otherwise, line };
    }
    if (tag === 'else') {
      this.endOfBlock('else');
      otherwise = this.parseBody(['endif']);
    }
    this.endOfBlock('endif');
    return { kind: 'if', test, body, otherwise, line };
  }

  private parseSet(): Node {
    const line = this.expect('name', 'set').line;
    const target = this.parseAssignTarget([], true);
    if (this.skipIf('operator', '=')) {
      const value = this.parseTuple();
      this.endOfBlock('set');
      return { kind: 'set', target, value, line };
    }
    const filters = this.parseFilterChain();
    this.endOfBlock('set');
    const body = this.parseBody(['endset'], true);
    return { kind: 'setblock', target, filters, body, line };
  }

  /** `| f(x) | g` after a block tag, as filter nodes without a target. */
  private parseFilterChain(): Expr[] {
    const filters: Expr[] = [];
    while (this.isOp('|') || (filters.length === 0 && this.is('name'))) {
      this.skipIf('operator', '|');
      const f = this.parseFilter(undefined);
      filters.push(f);
    }
    return filters;
  }

  private parseMacro(): Node {
    const line = this.expect('name', 'macro').line;
    const name = this.expect('name').value;
    const params = this.parseSignature();
    this.endOfBlock('macro');
    const body = this.parseBody(['endmacro'], true);
    return { kind: 'macro', macro: { name, params, body }, line };
  }

  private parseSignature(): MacroDef['params'] {
    const params: MacroDef['params'] = [];
    this.expect('operator', '(');
    while (!this.isOp(')')) {
      if (params.length > 0) this.expect('operator', ',');
      const name = this.expect('name').value;
      if (this.skipIf('operator', '=')) params.push({ name, default: this.parseExpression() });
      else {
        if (params.some((p) => p.default)) this.fail('non-default argument follows default argument');
        params.push({ name });
      }
    }
    this.next();
    return params;
  }

  private parseCallBlock(): Node {
    const line = this.expect('name', 'call').line;
    const params = this.isOp('(') ? this.parseSignature() : [];
    const call = this.parseExpression();
    if (call.kind !== 'call') this.fail('expected call', line);
    this.endOfBlock('call');
    const body = this.parseBody(['endcall'], true);
    return { kind: 'callblock', call, macro: { name: 'caller', params, body }, line };
  }

  private parseFilterBlock(): Node {
    const line = this.expect('name', 'filter').line;
    const filters = this.parseFilterChain();
    this.endOfBlock('filter');
    return { kind: 'filterblock', filters, body: this.parseBody(['endfilter'], true), line };
  }

  private parseWith(): Node {
    const line = this.expect('name', 'with').line;
    const targets: [Expr, Expr][] = [];
    while (!this.is('block_end')) {
      if (targets.length > 0) this.expect('operator', ',');
      const target = this.parseAssignTarget([]);
      this.expect('operator', '=');
      targets.push([target, this.parseExpression()]);
    }
    this.next();
    return { kind: 'with', targets, body: this.parseBody(['endwith'], true), line };
  }

  private parseBlock(): Node {
    const line = this.expect('name', 'block').line;
    const name = this.expect('name').value;
    const scoped = this.skipIf('name', 'scoped');
    const required = this.skipIf('name', 'required');
    this.endOfBlock('block');
    const body = this.subparse(['endblock']);
    this.next();
    if (this.is('name')) {
      const closing = this.next().value;
      if (closing !== name) this.fail(`mismatching name '${closing}' for block '${name}'`);
    }
    this.endOfBlock('endblock');
    return { kind: 'block', name, body, scoped, required, line };
  }

  /** `with context` / `without context` after include/import; returns undefined when absent. */
  private parseContextModifier(): boolean | undefined {
    if (
      (this.isName('with') || this.isName('without')) &&
      this.peek().type === 'name' &&
      this.peek().value === 'context'
    ) {
      const withContext = this.next().value === 'with';
      this.next();
      return withContext;
    }
    return undefined;
  }

  private parseInclude(): Node {
    const line = this.expect('name', 'include').line;
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (this.isName('ignore') && this.peek().value === 'missing') {
      this.next();
      this.next();
      ignoreMissing = true;
    }
    const withContext = this.parseContextModifier() ?? true;
    this.endOfBlock('include');
    return { kind: 'include', template, ignoreMissing, withContext, line };
  }

  private parseImport(): Node {
    const line = this.expect('name', 'import').line;
    const template = this.parseExpression();
    this.expect('name', 'as');
    const target = this.expect('name').value;
    const withContext = this.parseContextModifier() ?? false;
    this.endOfBlock('import');
    return { kind: 'import', template, target, withContext, line };
  }

  private parseFrom(): Node {
    const line = this.expect('name', 'from').line;
    const template = this.parseExpression();
    this.expect('name', 'import');
    const names: [string, string][] = [];
    let withContext: boolean | undefined;
    for (;;) {
      if (names.length > 0) {
        if (!this.skipIf('operator', ',')) break;
      }
      withContext = this.parseContextModifier();
      if (withContext !== undefined) break;
      if (!this.is('name')) {
        if (names.length === 0) this.fail('expected a name to import');
        break;
      }
      const name = this.next().value;
      if (name.startsWith('_')) this.fail('names starting with an underline can not be imported');
      const alias = this.skipIf('name', 'as') ? this.expect('name').value : name;
      names.push([name, alias]);
      withContext = this.parseContextModifier();
      if (withContext !== undefined) break;
    }
    this.endOfBlock('from');
    return { kind: 'fromimport', template, names, withContext: withContext ?? false, line };
  }

  /** A for/set/with target: a name, `ns.attr` (set only), or a tuple of names. */
  private parseAssignTarget(extraEnd: readonly string[], allowAttr = false): Expr {
    const line = this.current.line;
    if (allowAttr && this.is('name') && this.peek().type === 'operator' && this.peek().value === '.') {
      const target: Expr = { kind: 'name', name: this.next().value, line };
      this.next();
      return { kind: 'getattr', target, attr: this.expect('name').value, line };
    }
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) {
        if (!this.skipIf('operator', ',')) break;
        isTuple = true;
      }
      if (this.is('name') && extraEnd.includes(this.current.value)) break;
      if (this.skipIf('operator', '(')) {
        items.push(this.parseAssignTarget([...extraEnd]));
        this.expect('operator', ')');
        continue;
      }
      if (!this.is('name')) {
        if (items.length === 0) this.fail(`can't assign to '${this.current.value}'`);
        break;
      }
      items.push({ kind: 'name', name: this.next().value, line });
    }
    return isTuple ? { kind: 'tuple', items, line } : (items[0] ?? this.fail('expected a name'));
  }

  /** Jinja2's parse_tuple: `a, b` is a tuple; a single expression without comma is itself. */
  parseTuple(options: { withCondexpr?: boolean; extraEnd?: string[] } = {}): Expr {
    const line = this.current.line;
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) this.expect('operator', ',');
      if (this.atTupleEnd(options.extraEnd ?? [])) break;
      items.push(options.withCondexpr === false ? this.parseOr() : this.parseExpression());
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items[0]) return items[0];
      this.fail(`Expected an expression, got '${this.current.value || 'end of template'}'`);
    }
    return { kind: 'tuple', items, line };
  }

  private atTupleEnd(extraEnd: readonly string[]): boolean {
    const t = this.current;
    if (t.type === 'variable_end' || t.type === 'block_end' || t.type === 'eof') return true;
    if (t.type === 'operator' && (t.value === ')' || t.value === ']' || t.value === '}')) return true;
    return t.type === 'name' && extraEnd.includes(t.value);
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    const line = this.current.line;
    let expr = this.parseOr();
    while (this.skipIf('name', 'if')) {
      const test = this.parseOr();
      const otherwise = this.skipIf('name', 'else') ? this.parseCondexpr() : undefined;
      expr = { kind: 'cond', test, then: expr, ...(otherwise ? { otherwise } : {}), line };
    }
    return expr;
  }

  private parseOr(): Expr {
    return this.binaryLevel(['or'], () => this.parseAnd(), 'name');
  }

  private parseAnd(): Expr {
    return this.binaryLevel(['and'], () => this.parseNot(), 'name');
  }

  private parseNot(): Expr {
    if (this.is('name', 'not')) {
      const line = this.next().line;
      return { kind: 'unary', op: 'not', operand: this.parseNot(), line };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const line = this.current.line;
    const first = this.parseMath1();
    const ops: [string, Expr][] = [];
    for (;;) {
      if (this.current.type === 'operator' && COMPARE_OPS.has(this.current.value)) {
        const op = this.next().value;
        ops.push([op, this.parseMath1()]);
      } else if (this.skipIf('name', 'in')) {
        ops.push(['in', this.parseMath1()]);
      } else if (this.is('name', 'not') && this.peek().type === 'name' && this.peek().value === 'in') {
        this.next();
        this.next();
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length === 0 ? first : { kind: 'compare', first, ops, line };
  }

  /** One precedence level of left-associative binary operators. */
  private binaryLevel(
    ops: readonly string[],
    operand: () => Expr,
    type: 'operator' | 'name' = 'operator',
  ): Expr {
    let left = operand();
    while (this.current.type === type && ops.includes(this.current.value)) {
      const { value: op, line } = this.next();
      left = { kind: 'binary', op, left, right: operand(), line };
    }
    return left;
  }

  private parseMath1(): Expr {
    return this.binaryLevel(['+', '-'], () => this.parseConcat());
  }

  private parseConcat(): Expr {
    return this.binaryLevel(['~'], () => this.parseMath2());
  }

  private parseMath2(): Expr {
    return this.binaryLevel(['*', '/', '//', '%'], () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.binaryLevel(['**'], () => this.parseUnary());
  }

  private parseUnary(withFilter = true): Expr {
    const line = this.current.line;
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().value as '-' | '+';
      node = { kind: 'unary', op, operand: this.parseUnary(false), line };
    } else {
      node = this.parsePrimary();
    }
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const token = this.current;
    const line = token.line;
    if (token.type === 'name') {
      this.next();
      if (token.value === 'true' || token.value === 'True') return { kind: 'const', value: true, line };
      if (token.value === 'false' || token.value === 'False') return { kind: 'const', value: false, line };
      if (token.value === 'none' || token.value === 'None') return { kind: 'const', value: null, line };
      return { kind: 'name', name: token.value, line };
    }
    if (token.type === 'string') {
      let value = this.next().value;
      while (this.is('string')) value += this.next().value;
      return { kind: 'const', value, line };
    }
    if (token.type === 'integer' || token.type === 'float') {
      this.next();
      return { kind: 'const', value: numberLiteral(token), line };
    }
    if (this.skipIf('operator', '(')) {
      if (this.skipIf('operator', ')')) return { kind: 'tuple', items: [], line };
      const expr = this.parseTuple({ extraEnd: [] });
      this.expect('operator', ')');
      return expr;
    }
    if (this.skipIf('operator', '[')) {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        if (items.length > 0) this.expect('operator', ',');
        if (this.isOp(']')) break;
        items.push(this.parseExpression());
      }
      this.next();
      return { kind: 'list', items, line };
    }
    if (this.skipIf('operator', '{')) {
      const items: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        if (items.length > 0) this.expect('operator', ',');
        if (this.isOp('}')) break;
        const key = this.parseExpression();
        this.expect('operator', ':');
        items.push([key, this.parseExpression()]);
      }
      this.next();
      return { kind: 'dict', items, line };
    }
    const got = token.type === 'eof' ? 'end of template' : `'${token.value || token.type.replace('_', ' ')}'`;
    return this.fail(`unexpected ${got}`);
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        node = this.parseFilter(node);
      } else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const token = this.next();
    const line = token.line;
    if (token.value === '.') {
      const attr = this.next();
      if (attr.type === 'name') return { kind: 'getattr', target: node, attr: attr.value, line };
      if (attr.type === 'integer') {
        return {
          kind: 'getitem',
          target: node,
          key: { kind: 'const', value: numberLiteral(attr), line },
          line,
        };
      }
      return this.fail('expected name or number', line);
    }
    const keys: Expr[] = [];
    let isTuple = false;
    while (!this.isOp(']')) {
      if (keys.length > 0) {
        this.expect('operator', ',');
        isTuple = true;
      }
      if (this.isOp(']')) break;
      keys.push(this.parseSliceOrExpr());
    }
    this.expect('operator', ']');
    const key: Expr = isTuple
      ? { kind: 'tuple', items: keys, line }
      : (keys[0] ?? this.fail('expected subscript', line));
    return { kind: 'getitem', target: node, key, line };
  }

  private parseSliceOrExpr(): Expr {
    const line = this.current.line;
    const part = (): Expr | undefined =>
      this.isOp(':') || this.isOp(']') || this.isOp(',') ? undefined : this.parseExpression();
    const start = part();
    if (!this.skipIf('operator', ':')) return start ?? this.fail('expected expression');
    const stop = part();
    const step = this.skipIf('operator', ':') ? part() : undefined;
    return {
      kind: 'slice',
      ...(start ? { start } : {}),
      ...(stop ? { stop } : {}),
      ...(step ? { step } : {}),
      line,
    };
  }

  private parseCallArgs(): CallArgs {
    this.expect('operator', '(');
    const result: CallArgs = { args: [], kwargs: [] };
    let first = true;
    while (!this.isOp(')')) {
      if (!first) this.expect('operator', ',');
      first = false;
      if (this.isOp(')')) break;
      if (this.isOp('*')) {
        this.next();
        result.star = this.parseExpression();
      } else if (this.isOp('**')) {
        this.next();
        result.starstar = this.parseExpression();
      } else if (this.is('name') && this.peek().type === 'operator' && this.peek().value === '=') {
        const key = this.next().value;
        this.next();
        result.kwargs.push([key, this.parseExpression()]);
      } else {
        if (result.kwargs.length > 0 || result.starstar) this.fail('Invalid argument syntax');
        result.args.push(this.parseExpression());
      }
    }
    this.next();
    return result;
  }

  private parseCall(node: Expr): Expr {
    const line = this.current.line;
    return { kind: 'call', target: node, args: this.parseCallArgs(), line };
  }

  private parseFilter(target: Expr | undefined): Expr {
    const line = this.current.line;
    let name = this.expect('name').value;
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expect('name').value;
    }
    const args = this.isOp('(') ? this.parseCallArgs() : { args: [], kwargs: [] };
    return { kind: 'filter', name, ...(target ? { target } : {}), args, line };
  }

  private parseTest(target: Expr): Expr {
    const line = this.next().line;
    const negated = this.skipIf('name', 'not');
    let name = this.expect('name').value;
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expect('name').value;
    }
    let args: CallArgs = { args: [], kwargs: [] };
    if (this.isOp('(')) args = this.parseCallArgs();
    else if (
      (PRIMARY_START.has(this.current.type) || this.isOp('(') || this.isOp('[') || this.isOp('{')) &&
      !['else', 'or', 'and'].includes(this.current.value)
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      args = { args: [this.parsePostfix(this.parsePrimary())], kwargs: [] };
    }
    return { kind: 'test', name, target, args, negated, line };
  }
}

function numberLiteral(token: Token): unknown {
  const text = token.value.replace(/_/g, '');
  if (token.type === 'float') {
    const n = Number(text);
    return Number.isInteger(n) ? new PyFloat(n) : n;
  }
  const n = /^0[box]/i.test(text) ? Number(text.toLowerCase()) : Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function blockOf(endTags: readonly string[]): string {
  const first = endTags.find((t) => t.startsWith('end')) ?? endTags[0] ?? '';
  return first.replace(/^end/, '');
}
