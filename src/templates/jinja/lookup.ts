import { pyFormat } from './format.js';
import { isLoop, loopAttribute, type RenderContext } from './runtime.js';
import {
  Callable,
  compare,
  defined,
  equals,
  EvalError,
  findKey,
  hashKey,
  isInt,
  isNumber,
  isTuple,
  iterate,
  Markup,
  Namespace,
  NOT_FOUND,
  str,
  toNumber,
  tuple,
  tupleField,
  typeName,
  Undefined,
  UndefinedError,
} from './values.js';

/** Jinja2's `obj.attr`: the attribute (dict/str/list methods, namespace attributes), else the item. */
export function attribute(
  ctx: RenderContext,
  obj: unknown,
  attr: string,
  expression: string,
  attrOnly = false,
): unknown {
  if (obj instanceof Undefined) throw new UndefinedError(obj.hint, obj.name);
  const method = methodOf(obj, attr);
  if (method !== undefined) return method;
  if (obj instanceof Namespace) {
    return obj.attrs.has(attr) ? obj.attrs.get(attr) : missing(ctx, obj, attr, expression);
  }
  if (isLoop(obj)) {
    const value = loopAttribute(obj, attr);
    return value === undefined && !['previtem', 'nextitem'].includes(attr)
      ? missing(ctx, obj, attr, expression)
      : (value ?? ctx.undefined(attr, `there is no ${attr === 'previtem' ? 'previous' : 'next'} item`));
  }
  if (obj instanceof Callable && attr === 'name') return obj.name;
  if ((isNumber(obj) || typeof obj === 'boolean') && (attr === 'real' || attr === 'imag')) {
    return attr === 'imag' ? 0 : typeof obj === 'boolean' ? Number(obj) : obj;
  }
  if (Array.isArray(obj)) {
    const field = tupleField(obj, attr);
    if (field !== undefined) return field;
  }
  if (obj instanceof Map && !attrOnly) {
    const key = findKey(obj, attr);
    if (key !== NOT_FOUND) return obj.get(key);
  }
  return missing(ctx, obj, attr, expression);
}

/** Jinja2's `obj[key]`: the item, else (for string keys) the attribute. */
export function item(ctx: RenderContext, obj: unknown, key: unknown, expression: string): unknown {
  if (obj instanceof Undefined) throw new UndefinedError(obj.hint, obj.name);
  defined(key);
  if (typeof key === 'object' && key !== null && 'slice' in key) {
    return slice(obj, (key as { slice: [unknown, unknown, unknown] }).slice);
  }
  if (obj instanceof Map) {
    const found = findKey(obj, hashKey(key));
    if (found !== NOT_FOUND) return obj.get(found);
  } else if (Array.isArray(obj) || typeof obj === 'string' || obj instanceof Markup) {
    const items = typeof obj === 'string' ? [...obj] : obj instanceof Markup ? [...obj.text] : obj;
    if (isInt(key) || typeof key === 'boolean') {
      const n = toNumber(key);
      const i = n < 0 ? items.length + n : n;
      if (i >= 0 && i < items.length) return items[i];
      return ctx.undefined(String(key), `${objectType(obj)} has no element ${String(key)}`);
    }
  }
  if (typeof key === 'string') {
    const viaAttr = obj instanceof Map ? undefined : attributeOrUndefined(ctx, obj, key);
    if (viaAttr !== undefined) return viaAttr;
  }
  return missing(ctx, obj, typeof key === 'string' ? key : str(key), expression, typeof key !== 'string');
}

function attributeOrUndefined(ctx: RenderContext, obj: unknown, key: string): unknown {
  const value = attribute(ctx, obj, key, '');
  return value instanceof Undefined ? undefined : value;
}

function missing(
  ctx: RenderContext,
  obj: unknown,
  name: string,
  expression: string,
  element = false,
): Undefined {
  const hint =
    obj === null || obj === undefined
      ? `'None' has no attribute '${name}'`
      : element
        ? `${objectType(obj)} has no element ${name}`
        : `${objectType(obj)} has no attribute '${name}'`;
  return ctx.undefined(expression ? `${expression}.${name}` : name, hint);
}

function objectType(obj: unknown): string {
  return `'${typeName(obj)} object'`;
}

function slice(obj: unknown, [start, stop, step]: [unknown, unknown, unknown]): unknown {
  const isStr = typeof obj === 'string' || obj instanceof Markup;
  const items = isStr ? [...str(obj)] : iterate(obj);
  const n = items.length;
  const s = step === null || step === undefined ? 1 : toNumber(step);
  if (s === 0) throw new EvalError('slice step cannot be zero');
  const clamp = (v: unknown, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    let i = toNumber(v);
    if (i < 0) i += n;
    return s > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1);
  };
  const from = clamp(start, s > 0 ? 0 : n - 1);
  const to = clamp(stop, s > 0 ? n : -1);
  const out: unknown[] = [];
  for (let i = from; s > 0 ? i < to : i > to; i += s) out.push(items[i]);
  if (isStr) return out.join('');
  return isTuple(obj) ? tuple(out) : out;
}

type Method = (args: unknown[], kwargs: Map<string, unknown>) => unknown;

function methodOf(obj: unknown, name: string): Callable | undefined {
  const m =
    obj instanceof Map
      ? dictMethod(obj, name)
      : typeof obj === 'string' || obj instanceof Markup
        ? stringMethod(str(obj), name)
        : Array.isArray(obj)
          ? listMethod(obj, name)
          : undefined;
  return m ? new Callable(name, m, 'method') : undefined;
}

function dictMethod(map: Map<unknown, unknown>, name: string): Method | undefined {
  switch (name) {
    case 'items':
      return () => [...map].map(([k, v]) => tuple([k, v]));
    case 'keys':
      return () => [...map.keys()];
    case 'values':
      return () => [...map.values()];
    case 'get':
      return ([key, dflt = null]) => {
        const k = findKey(map, hashKey(key));
        return k === NOT_FOUND ? dflt : map.get(k);
      };
    case 'copy':
      return () => new Map(map);
    case 'update':
      return ([other], kwargs) => {
        if (other instanceof Map) for (const [k, v] of other) map.set(k, v);
        for (const [k, v] of kwargs) map.set(k, v);
        return null;
      };
    case 'pop':
      return ([key, dflt]) => {
        const k = findKey(map, hashKey(key));
        if (k === NOT_FOUND) {
          if (dflt === undefined) throw new EvalError(`KeyError: ${str(key)}`);
          return dflt;
        }
        const v = map.get(k);
        map.delete(k);
        return v;
      };
    case 'setdefault':
      return ([key, dflt = null]) => {
        const k = findKey(map, hashKey(key));
        if (k !== NOT_FOUND) return map.get(k);
        map.set(hashKey(key), dflt);
        return dflt;
      };
    default:
      return undefined;
  }
}

function stringMethod(s: string, name: string): Method | undefined {
  const chars = (args: unknown[]): string | undefined =>
    args[0] === undefined || args[0] === null ? undefined : str(args[0]);
  switch (name) {
    case 'upper':
      return () => s.toUpperCase();
    case 'lower':
      return () => s.toLowerCase();
    case 'strip':
      return (args) => strip(s, chars(args), true, true);
    case 'lstrip':
      return (args) => strip(s, chars(args), true, false);
    case 'rstrip':
      return (args) => strip(s, chars(args), false, true);
    case 'split':
      return (args, kwargs) => split(s, args[0] ?? kwargs.get('sep'), args[1] ?? kwargs.get('maxsplit'));
    case 'rsplit':
      return (args) => rsplit(s, args[0], args[1]);
    case 'splitlines':
      return () => s.split(/\r\n|\r|\n/).filter((l, i, all) => i < all.length - 1 || l !== '');
    case 'startswith':
      return ([prefix]) =>
        Array.isArray(prefix) ? prefix.some((p) => s.startsWith(str(p))) : s.startsWith(str(prefix));
    case 'endswith':
      return ([suffix]) =>
        Array.isArray(suffix) ? suffix.some((p) => s.endsWith(str(p))) : s.endsWith(str(suffix));
    case 'replace':
      return ([old, replacement, count]) =>
        replace(s, str(old), str(replacement), count === undefined ? -1 : toNumber(count));
    case 'format':
      return (args, kwargs) => pyFormat(s, args, kwargs);
    case 'join':
      return ([items]) =>
        iterate(items)
          .map((v) => {
            if (typeof v !== 'string')
              throw new EvalError(`sequence item: expected str instance, ${typeName(v)} found`);
            return v;
          })
          .join(s);
    case 'title':
      return () => s.replace(/[A-Za-z]+/g, (w) => (w[0] ?? '').toUpperCase() + w.slice(1).toLowerCase());
    case 'capitalize':
      return () => (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase();
    case 'find':
      return ([sub]) => s.indexOf(str(sub));
    case 'count':
      return ([sub]) => (str(sub) === '' ? s.length + 1 : s.split(str(sub)).length - 1);
    case 'isdigit':
      return () => /^\d+$/.test(s);
    case 'isalpha':
      return () => /^\p{L}+$/u.test(s);
    case 'isalnum':
      return () => /^[\p{L}\d]+$/u.test(s);
    case 'isspace':
      return () => /^\s+$/.test(s);
    case 'islower':
      return () => /[a-z]/.test(s) && s === s.toLowerCase();
    case 'isupper':
      return () => /[A-Z]/.test(s) && s === s.toUpperCase();
    case 'zfill':
      return ([width]) => {
        const w = toNumber(width);
        const signChar = /^[-+]/.test(s) ? (s[0] ?? '') : '';
        return signChar + s.slice(signChar.length).padStart(w - signChar.length, '0');
      };
    case 'ljust':
      return ([width, fill = ' ']) => s.padEnd(toNumber(width), str(fill));
    case 'rjust':
      return ([width, fill = ' ']) => s.padStart(toNumber(width), str(fill));
    case 'center':
      return ([width, fill = ' ']) => center(s, toNumber(width), str(fill));
    case 'partition':
      return ([sep]) => {
        const i = s.indexOf(str(sep));
        return i < 0 ? tuple([s, '', '']) : tuple([s.slice(0, i), str(sep), s.slice(i + str(sep).length)]);
      };
    default:
      return undefined;
  }
}

function listMethod(list: unknown[], name: string): Method | undefined {
  if (isTuple(list)) {
    if (name === 'index') return ([v]) => list.findIndex((x) => equals(x, v));
    if (name === 'count') return ([v]) => list.filter((x) => equals(x, v)).length;
    return undefined;
  }
  switch (name) {
    case 'append':
      return ([v]) => {
        list.push(v);
        return null;
      };
    case 'extend':
      return ([v]) => {
        list.push(...iterate(v));
        return null;
      };
    case 'insert':
      return ([i, v]) => {
        list.splice(toNumber(i), 0, v);
        return null;
      };
    case 'pop':
      return ([i]) => {
        if (list.length === 0) throw new EvalError('pop from empty list');
        const at = i === undefined ? list.length - 1 : (toNumber(i) + list.length) % list.length;
        return list.splice(at, 1)[0];
      };
    case 'remove':
      return ([v]) => {
        const at = list.findIndex((x) => equals(x, v));
        if (at < 0) throw new EvalError('list.remove(x): x not in list');
        list.splice(at, 1);
        return null;
      };
    case 'index':
      return ([v]) => {
        const at = list.findIndex((x) => equals(x, v));
        if (at < 0) throw new EvalError(`${str(v)} is not in list`);
        return at;
      };
    case 'count':
      return ([v]) => list.filter((x) => equals(x, v)).length;
    case 'reverse':
      return () => {
        list.reverse();
        return null;
      };
    case 'sort':
      return (_args, kwargs) => {
        list.sort(compare);
        if (kwargs.get('reverse') === true) list.reverse();
        return null;
      };
    case 'copy':
      return () => [...list];
    default:
      return undefined;
  }
}

export function strip(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  if (chars === undefined) {
    let out = s;
    if (left) out = out.replace(/^\s+/, '');
    if (right) out = out.replace(/\s+$/, '');
    return out;
  }
  const set = new Set(chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a] ?? '')) a++;
  if (right) while (b > a && set.has(s[b - 1] ?? '')) b--;
  return s.slice(a, b);
}

function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : toNumber(maxsplit);
  if (sep === undefined || sep === null) {
    const parts: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length > 0) {
      if (max >= 0 && parts.length === max) {
        parts.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const separator = str(sep);
  if (separator === '') throw new EvalError('empty separator');
  const all = s.split(separator);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(separator)];
}

function rsplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : toNumber(maxsplit);
  if (sep === undefined || sep === null || max < 0) return split(s, sep, -1);
  const separator = str(sep);
  const all = s.split(separator);
  if (all.length <= max + 1) return all;
  return [all.slice(0, all.length - max).join(separator), ...all.slice(all.length - max)];
}

function replace(s: string, old: string, replacement: string, count: number): string {
  if (count < 0) return s.split(old).join(replacement);
  let out = s;
  let from = 0;
  for (let i = 0; i < count; i++) {
    const at = out.indexOf(old, from);
    if (at < 0) break;
    out = out.slice(0, at) + replacement + out.slice(at + old.length);
    from = at + replacement.length + (old === '' ? 1 : 0);
  }
  return out;
}

/** Python's str.center (extra padding goes to the right when the margin is odd, as CPython does). */
export function center(s: string, width: number, fill = ' '): string {
  const n = [...s].length;
  if (width <= n) return s;
  const margin = width - n;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return fill.repeat(left) + s + fill.repeat(margin - left);
}
