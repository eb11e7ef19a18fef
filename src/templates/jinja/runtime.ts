import type { CallArgs, Expr, MacroDef, Node } from './ast.js';
import { TemplateSyntaxError } from './lexer.js';
import { attribute, item } from './lookup.js';
import { binaryOp, contains } from './operators.js';
import { escape } from './escape.js';
import { parseTemplate } from './parser.js';
import {
  Callable,
  compare,
  defined,
  equals,
  EvalError,
  hashKey,
  isString,
  iterate,
  Namespace,
  str,
  truthy,
  tuple,
  Undefined,
  UndefinedError,
} from './values.js';

/** A filter or test: the value, then the arguments as the template passed them. */
export type Filter = (
  ctx: RenderContext,
  value: unknown,
  args: unknown[],
  kwargs: Map<string, unknown>,
) => unknown;

export interface EnvironmentOptions {
  /** StrictUndefined (any use of an undefined value fails) or Jinja2's default lenient Undefined. */
  undefined: 'strict' | 'lenient';
  filters: ReadonlyMap<string, Filter>;
  tests: ReadonlyMap<string, Filter>;
  globals: ReadonlyMap<string, unknown>;
  /** The source of a template by name, or undefined when there is none. */
  load: (name: string) => string | undefined;
}

/** What filters and tests can reach: the environment and a way to call template callables. */
export interface RenderContext {
  env: Environment;
  call: (fn: unknown, args: unknown[], kwargs?: Map<string, unknown>) => unknown;
  undefined: (name: string, hint?: string) => Undefined;
}

/** An error located in a template; `kind` tells the caller how to explain it. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    message: string,
    readonly kind: 'syntax' | 'undefined' | 'not-found' | 'unknown-filter' | 'other',
    readonly template: string,
    readonly line: number | undefined,
    readonly expression?: string,
  ) {
    super(message);
  }
}

class TemplateNotFound extends Error {}

interface Parsed {
  name: string;
  body: Node[];
  blocks: Map<string, Extract<Node, { kind: 'block' }>>;
}

/** Variables of one scope; lookups walk up to the template's context and then the globals. */
class Scope {
  readonly vars = new Map<string, unknown>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent ? this.parent.lookup(name) : MISSING;
  }
}

const MISSING = Symbol('missing');

/** One render of a template: its blocks (child first) and its output. */
interface Frame {
  template: Parsed;
  blocks: Map<string, { block: Extract<Node, { kind: 'block' }>; template: Parsed }[]>;
  root: Scope;
  /** Top-level names the template assigned, exported to `import`. */
  exports: Set<string>;
  /** Set once `{% extends %}` ran: output outside blocks is dropped. */
  parent?: string;
}

export class Environment {
  private readonly cache = new Map<string, Parsed>();
  constructor(readonly options: EnvironmentOptions) {}

  /** Renders a template by name with `vars` as its context. */
  render(name: string, vars: Map<string, unknown>): string {
    const template = this.template(name, name);
    const root = new Scope();
    for (const [k, v] of vars) root.vars.set(k, v);
    return this.renderFrame(template, root);
  }

  undefined(name: string, hint = `'${name}' is undefined`): Undefined {
    return new Undefined(name, hint, this.options.undefined === 'strict');
  }

  template(name: string, from: string, line?: number): Parsed {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const source = this.options.load(name);
    if (source === undefined) throw new RenderError(`template not found: ${name}`, 'not-found', from, line);
    let body: Node[];
    try {
      body = parseTemplate(source);
    } catch (err) {
      if (err instanceof TemplateSyntaxError) throw new RenderError(err.message, 'syntax', name, err.line);
      throw err;
    }
    const parsed: Parsed = { name, body, blocks: new Map() };
    collectBlocks(body, parsed.blocks);
    this.cache.set(name, parsed);
    return parsed;
  }

  renderFrame(template: Parsed, root: Scope, frame?: Frame): string {
    const f: Frame = frame ?? { template, blocks: new Map(), root, exports: new Set() };
    for (const [name, block] of template.blocks) {
      const chain = f.blocks.get(name) ?? [];
      chain.push({ block, template });
      f.blocks.set(name, chain);
    }
    const out: string[] = [];
    new Renderer(this, f, template).run(template.body, root, out);
    if (f.parent === undefined) return out.join('');
    const parent = this.template(f.parent, template.name);
    const before = out.join('');
    return before + this.renderFrame(parent, root, { ...f, template: parent, parent: undefined });
  }

  /** Runs a template for `import`: its top-level macros and variables. */
  module(name: string, from: string, line: number, context: Scope | undefined): Namespace {
    const template = this.template(name, from, line);
    const root = new Scope(context);
    const frame: Frame = { template, blocks: new Map(), root, exports: new Set() };
    this.renderFrame(template, root, frame);
    const module = new Namespace();
    for (const key of frame.exports) if (!key.startsWith('_')) module.attrs.set(key, root.vars.get(key));
    return module;
  }
}

function collectBlocks(body: readonly Node[], into: Parsed['blocks']): void {
  for (const node of body) {
    if (node.kind === 'block') {
      if (into.has(node.name))
        throw new RenderError(`block '${node.name}' defined twice`, 'syntax', '', node.line);
      into.set(node.name, node);
    }
    for (const child of childBodies(node)) collectBlocks(child, into);
  }
}

function childBodies(node: Node): Node[][] {
  switch (node.kind) {
    case 'if':
    case 'for':
      return [node.body, node.otherwise];
    case 'block':
    case 'with':
    case 'scope':
    case 'filterblock':
    case 'setblock':
      return [node.body];
    default:
      return [];
  }
}

class LoopContext {
  index0 = 0;
  private lastChanged: unknown = MISSING;
  constructor(
    readonly items: unknown[],
    readonly depth0: number,
    readonly recurse: Callable | undefined,
  ) {}

  attr(name: string): unknown {
    const n = this.items.length;
    switch (name) {
      case 'index':
        return this.index0 + 1;
      case 'index0':
        return this.index0;
      case 'revindex':
        return n - this.index0;
      case 'revindex0':
        return n - this.index0 - 1;
      case 'first':
        return this.index0 === 0;
      case 'last':
        return this.index0 === n - 1;
      case 'length':
        return n;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return this.index0 > 0 ? this.items[this.index0 - 1] : undefined;
      case 'nextitem':
        return this.index0 < n - 1 ? this.items[this.index0 + 1] : undefined;
      case 'cycle':
        return new Callable('cycle', (args) => {
          if (args.length === 0) throw new EvalError('no items for cycling given');
          return args[this.index0 % args.length];
        });
      case 'changed':
        return new Callable('changed', (args) => {
          const value = tuple(args);
          if (this.lastChanged !== MISSING && equals(this.lastChanged, value)) return false;
          this.lastChanged = value;
          return true;
        });
      default:
        return undefined;
    }
  }
}

export function loopAttribute(loop: unknown, name: string): unknown {
  return loop instanceof LoopContext ? loop.attr(name) : undefined;
}

export function isLoop(value: unknown): value is LoopContext {
  return value instanceof LoopContext;
}

export function callLoop(loop: unknown, args: unknown[]): unknown {
  if (!(loop instanceof LoopContext) || !loop.recurse) throw new EvalError("'loop' object is not callable");
  return loop.recurse.call(args, new Map());
}

class Renderer implements RenderContext {
  constructor(
    readonly env: Environment,
    private readonly frame: Frame,
    private readonly template: Parsed,
  ) {}

  undefined(name: string, hint?: string): Undefined {
    return this.env.undefined(name, hint);
  }

  run(body: readonly Node[], scope: Scope, out: string[]): void {
    for (const node of body) {
      try {
        this.node(node, scope, out);
      } catch (err) {
        throw this.locate(err, node.line);
      }
    }
  }

  private locate(err: unknown, line: number): unknown {
    if (err instanceof RenderError) return err;
    const name = this.template.name;
    if (err instanceof UndefinedError)
      return new RenderError(err.message, 'undefined', name, line, err.expression);
    if (err instanceof TemplateSyntaxError) return new RenderError(err.message, 'syntax', name, line);
    if (err instanceof UnknownFilter) return new RenderError(err.message, 'unknown-filter', name, line);
    if (err instanceof TemplateNotFound) return new RenderError(err.message, 'not-found', name, line);
    if (err instanceof RangeError && err.message.includes('call stack')) {
      return new RenderError(
        'recursion too deep (a macro or recursive loop that never stops?)',
        'other',
        name,
        line,
      );
    }
    if (err instanceof EvalError || err instanceof RangeError || err instanceof TypeError) {
      return new RenderError(err.message, 'other', name, line);
    }
    return err;
  }

  private emit(out: string[], text: string): void {
    if (this.frame.parent === undefined || !this.isTopLevelOut(out)) out.push(text);
  }

  private topOut: string[] | undefined;
  private isTopLevelOut(out: string[]): boolean {
    return out === this.topOut;
  }

  private node(node: Node, scope: Scope, out: string[]): void {
    if (this.topOut === undefined) this.topOut = out;
    switch (node.kind) {
      case 'output':
        this.emit(out, node.text);
        return;
      case 'print':
        this.emit(out, this.print(this.eval(node.expr, scope)));
        return;
      case 'if':
        this.run(truthy(this.eval(node.test, scope)) ? node.body : node.otherwise, scope, out);
        return;
      case 'for':
        this.forLoop(node, scope, out);
        return;
      case 'set':
        this.assign(node.target, this.eval(node.value, scope), scope);
        return;
      case 'setblock': {
        const inner: string[] = [];
        this.run(node.body, new Scope(scope), inner);
        this.assign(node.target, this.applyFilters(node.filters, inner.join(''), scope), scope);
        return;
      }
      case 'macro':
        this.assign(
          { kind: 'name', name: node.macro.name, line: node.line },
          this.macro(node.macro, scope),
          scope,
        );
        return;
      case 'callblock': {
        const caller = this.macro(node.macro, scope);
        const call = node.call as Extract<Expr, { kind: 'call' }>;
        this.emit(out, this.print(this.callExpr(call, scope, caller)));
        return;
      }
      case 'filterblock': {
        const inner: string[] = [];
        this.run(node.body, new Scope(scope), inner);
        this.emit(out, this.print(this.applyFilters(node.filters, inner.join(''), scope)));
        return;
      }
      case 'with': {
        const inner = new Scope(scope);
        const values = node.targets.map(([target, value]) => [target, this.eval(value, scope)] as const);
        for (const [target, value] of values) this.assign(target, value, inner);
        this.run(node.body, inner, out);
        return;
      }
      case 'scope': {
        const before = this.autoescape;
        if (node.autoescape) this.autoescape = truthy(this.eval(node.autoescape, scope));
        try {
          this.run(node.body, scope, out);
        } finally {
          this.autoescape = before;
        }
        return;
      }
      case 'block':
        this.block(node, scope, out);
        return;
      case 'extends': {
        if (this.frame.parent !== undefined) throw new EvalError('extended multiple times');
        this.frame.parent = this.templateName(this.eval(node.template, scope));
        return;
      }
      case 'include':
        this.include(node, scope, out);
        return;
      case 'import': {
        const { module } = this.importModule(node, scope);
        this.assign({ kind: 'name', name: node.target, line: node.line }, module, scope);
        return;
      }
      case 'fromimport': {
        const { name, module } = this.importModule(node, scope);
        for (const [from, as] of node.names) {
          const value = module.attrs.has(from)
            ? module.attrs.get(from)
            : this.undefined(from, `the template '${name}' does not export the requested name '${from}'`);
          this.assign({ kind: 'name', name: as, line: node.line }, value, scope);
        }
        return;
      }
    }
  }

  private importModule(
    node: Extract<Node, { kind: 'import' | 'fromimport' }>,
    scope: Scope,
  ): { name: string; module: Namespace } {
    const name = this.templateName(this.eval(node.template, scope));
    const context = node.withContext ? scope : undefined;
    return { name, module: this.env.module(name, this.template.name, node.line, context) };
  }

  private templateName(value: unknown): string {
    if (isString(value)) return str(value);
    defined(value);
    throw new EvalError(`template name must be a string, got ${str(value)}`);
  }

  private include(node: Extract<Node, { kind: 'include' }>, scope: Scope, out: string[]): void {
    const value = this.eval(node.template, scope);
    const names = Array.isArray(value) ? value.map((v) => this.templateName(v)) : [this.templateName(value)];
    for (const name of names) {
      if (this.env.options.load(name) === undefined) continue;
      const template = this.env.template(name, this.template.name, node.line);
      const root = node.withContext ? new Scope(scope) : new Scope();
      // an included template sees the includer's variables, but not its loop
      root.vars.set('loop', MISSING);
      this.emit(out, this.env.renderFrame(template, root));
      return;
    }
    if (node.ignoreMissing) return;
    const message =
      names.length === 1
        ? `template not found: ${names[0] ?? ''}`
        : `none of the templates given were found: ${names.join(', ')}`;
    throw new TemplateNotFound(message);
  }

  private block(node: Extract<Node, { kind: 'block' }>, scope: Scope, out: string[]): void {
    // after {% extends %}, the child's own blocks only run where the parent places them
    if (this.frame.parent !== undefined && this.isTopLevelOut(out)) return;
    const chain = this.frame.blocks.get(node.name) ?? [{ block: node, template: this.template }];
    this.emit(out, this.renderBlock(chain, 0, node.scoped ? scope : this.frame.root));
  }

  private renderBlock(
    chain: Frame['blocks'] extends Map<string, infer C> ? C : never,
    level: number,
    scope: Scope,
  ): string {
    const entry = chain[level];
    if (!entry) throw new EvalError('no parent block to call super() on');
    const inner = new Scope(scope);
    inner.vars.set('super', new Callable('super', () => this.renderBlock(chain, level + 1, scope)));
    const out: string[] = [];
    const renderer = new Renderer(this.env, { ...this.frame, parent: undefined }, entry.template);
    renderer.run(entry.block.body, inner, out);
    return out.join('');
  }

  /** `self.blockname()` renders a block of the template again. */
  private selfReference(): Namespace {
    const self = new Namespace();
    for (const [name, chain] of this.frame.blocks) {
      self.attrs.set(name, new Callable(name, () => this.renderBlock(chain, 0, this.frame.root)));
    }
    return self;
  }

  private forLoop(node: Extract<Node, { kind: 'for' }>, scope: Scope, out: string[]): void {
    const render = (iterable: unknown, depth0: number): string => {
      let items = iterate(this.eval({ kind: 'const', value: iterable, line: node.line }, scope));
      if (node.filter) {
        const filter = node.filter;
        items = items.filter((item) => {
          const s = new Scope(scope);
          this.assign(node.target, item, s);
          return truthy(this.eval(filter, s));
        });
      }
      const inner: string[] = [];
      const recurse = node.recursive
        ? new Callable('loop', (args) => render(args[0], depth0 + 1))
        : undefined;
      const loop = new LoopContext(items, depth0, recurse);
      for (const [i, item] of items.entries()) {
        loop.index0 = i;
        const s = new Scope(scope);
        this.assign(node.target, item, s);
        s.vars.set('loop', loop);
        this.run(node.body, s, inner);
      }
      if (items.length === 0) this.run(node.otherwise, new Scope(scope), inner);
      return inner.join('');
    };
    const iterable = this.eval(node.iter, scope);
    this.emit(out, render(iterable, 0));
  }

  assign(target: Expr, value: unknown, scope: Scope): void {
    if (target.kind === 'name') {
      scope.vars.set(target.name, value);
      if (scope === this.frame.root) this.frame.exports.add(target.name);
      return;
    }
    if (target.kind === 'getattr') {
      const ns = this.eval(target.target, scope);
      if (!(ns instanceof Namespace)) throw new EvalError('cannot assign attribute on non-namespace object');
      ns.attrs.set(target.attr, value);
      return;
    }
    if (target.kind === 'tuple') {
      const values = iterate(value);
      if (values.length !== target.items.length) {
        throw new EvalError(
          values.length > target.items.length
            ? `too many values to unpack (expected ${target.items.length})`
            : `not enough values to unpack (expected ${target.items.length}, got ${values.length})`,
        );
      }
      target.items.forEach((t, i) => {
        this.assign(t, values[i], scope);
      });
      return;
    }
    throw new EvalError("can't assign to this expression");
  }

  private macro(def: MacroDef, closure: Scope): Callable {
    return new Callable(
      def.name,
      (args, kwargs) => {
        const scope = new Scope(closure);
        const rest = [...args];
        for (const param of def.params) {
          if (rest.length > 0) scope.vars.set(param.name, rest.shift());
          else if (kwargs.has(param.name)) scope.vars.set(param.name, kwargs.get(param.name));
          else if (param.default) scope.vars.set(param.name, this.eval(param.default, scope));
          else
            scope.vars.set(
              param.name,
              this.undefined(param.name, `parameter '${param.name}' was not provided`),
            );
        }
        const extra = new Map(
          [...kwargs].filter(([k]) => !def.params.some((p) => p.name === k) && k !== 'caller'),
        );
        scope.vars.set('varargs', tuple(rest));
        scope.vars.set('kwargs', extra);
        if (kwargs.has('caller')) scope.vars.set('caller', kwargs.get('caller'));
        const out: string[] = [];
        const renderer = new Renderer(this.env, { ...this.frame, parent: undefined }, this.template);
        renderer.run(def.body, scope, out);
        return out.join('');
      },
      'macro',
    );
  }

  private applyFilters(filters: readonly Expr[], value: unknown, scope: Scope): unknown {
    let result = value;
    for (const f of filters) {
      if (f.kind !== 'filter') continue;
      result = this.filter(f.name, result, f.args, scope);
    }
    return result;
  }

  private autoescape = false;

  print(value: unknown): string {
    return this.autoescape ? escape(value).text : str(value);
  }

  call(fn: unknown, args: unknown[], kwargs: Map<string, unknown> = new Map()): unknown {
    if (fn instanceof Callable) return fn.call(args, kwargs);
    if (fn instanceof LoopContext) return callLoop(fn, args);
    if (fn instanceof Undefined) {
      defined(fn);
      throw new UndefinedError(fn.hint, fn.name);
    }
    throw new EvalError(`'${str(fn)}' object is not callable`);
  }

  private callArgs(spec: CallArgs, scope: Scope): [unknown[], Map<string, unknown>] {
    const args = spec.args.map((a) => this.eval(a, scope));
    if (spec.star) args.push(...iterate(this.eval(spec.star, scope)));
    const kwargs = new Map<string, unknown>();
    for (const [k, v] of spec.kwargs) kwargs.set(k, this.eval(v, scope));
    if (spec.starstar) {
      const extra = this.eval(spec.starstar, scope);
      if (extra instanceof Map) for (const [k, v] of extra) kwargs.set(str(k), v);
    }
    return [args, kwargs];
  }

  private callExpr(expr: Extract<Expr, { kind: 'call' }>, scope: Scope, caller?: Callable): unknown {
    const fn = this.eval(expr.target, scope);
    const [args, kwargs] = this.callArgs(expr.args, scope);
    if (caller) kwargs.set('caller', caller);
    return this.call(fn, args, kwargs);
  }

  private filter(name: string, value: unknown, spec: CallArgs, scope: Scope): unknown {
    const filter = this.env.options.filters.get(name);
    if (!filter) throw new UnknownFilter(`No filter named '${name}'.`);
    const [args, kwargs] = this.callArgs(spec, scope);
    return filter(this, value, args, kwargs);
  }

  eval(expr: Expr, scope: Scope): unknown {
    switch (expr.kind) {
      case 'const':
        return expr.value;
      case 'name': {
        const value = scope.lookup(expr.name);
        if (value !== MISSING) return value;
        if (this.env.options.globals.has(expr.name)) return this.env.options.globals.get(expr.name);
        if (expr.name === 'self') return this.selfReference();
        return this.undefined(expr.name);
      }
      case 'list':
        return expr.items.map((i) => this.eval(i, scope));
      case 'tuple':
        return tuple(expr.items.map((i) => this.eval(i, scope)));
      case 'dict': {
        const map = new Map<unknown, unknown>();
        for (const [k, v] of expr.items) map.set(hashKey(this.eval(k, scope)), this.eval(v, scope));
        return map;
      }
      case 'getattr':
        return attribute(this, this.eval(expr.target, scope), expr.attr, describe(expr.target));
      case 'getitem': {
        const target = this.eval(expr.target, scope);
        if (expr.key.kind === 'slice') {
          const { start, stop, step } = expr.key;
          const part = (e: Expr | undefined): unknown => (e ? this.eval(e, scope) : null);
          return item(this, target, { slice: [part(start), part(stop), part(step)] }, describe(expr.target));
        }
        return item(this, target, this.eval(expr.key, scope), describe(expr.target));
      }
      case 'slice':
        throw new EvalError('slice outside a subscript');
      case 'unary': {
        const value = this.eval(expr.operand, scope);
        if (expr.op === 'not') return !truthy(value);
        return binaryOp(expr.op === '-' ? 'neg' : 'pos', value, undefined);
      }
      case 'binary': {
        if (expr.op === 'and') {
          const left = this.eval(expr.left, scope);
          return truthy(left) ? this.eval(expr.right, scope) : left;
        }
        if (expr.op === 'or') {
          const left = this.eval(expr.left, scope);
          return truthy(left) ? left : this.eval(expr.right, scope);
        }
        return binaryOp(expr.op, this.eval(expr.left, scope), this.eval(expr.right, scope));
      }
      case 'compare': {
        let left = this.eval(expr.first, scope);
        for (const [op, rightExpr] of expr.ops) {
          const right = this.eval(rightExpr, scope);
          if (!comparison(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'cond':
        if (truthy(this.eval(expr.test, scope))) return this.eval(expr.then, scope);
        // Jinja2 uses its lenient Undefined here whatever the environment's undefined is
        return expr.otherwise
          ? this.eval(expr.otherwise, scope)
          : new Undefined(
              '',
              'the inline if-expression evaluated to false and no else section was defined.',
              false,
            );
      case 'call':
        return this.callExpr(expr, scope);
      case 'filter': {
        const value = expr.target ? this.eval(expr.target, scope) : undefined;
        return this.filter(expr.name, value, expr.args, scope);
      }
      case 'test': {
        const test = this.env.options.tests.get(expr.name);
        if (!test) throw new UnknownFilter(`No test named '${expr.name}'.`);
        const [args, kwargs] = this.callArgs(expr.args, scope);
        const result = truthy(test(this, this.eval(expr.target, scope), args, kwargs));
        return expr.negated ? !result : result;
      }
    }
  }
}

export class UnknownFilter extends Error {}

function comparison(op: string, left: unknown, right: unknown): boolean {
  switch (op) {
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case '<':
      return compare(left, right) < 0;
    case '<=':
      return compare(left, right) <= 0;
    case '>':
      return compare(left, right) > 0;
    case '>=':
      return compare(left, right) >= 0;
    case 'in':
      return contains(right, left);
    case 'notin':
      return !contains(right, left);
    default:
      throw new EvalError(`unknown operator ${op}`);
  }
}

/** The source-like text of an expression, for "x.y is undefined" messages. */
export function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'name':
      return expr.name;
    case 'getattr':
      return `${describe(expr.target)}.${expr.attr}`;
    case 'getitem':
      return expr.key.kind === 'const'
        ? `${describe(expr.target)}[${JSON.stringify(expr.key.value)}]`
        : `${describe(expr.target)}[...]`;
    default:
      return '';
  }
}
