import type { Filter } from './runtime.js';
import {
  Callable,
  compare,
  defined,
  equals,
  isFloat,
  isInt,
  isNumber,
  isString,
  isUndefined,
  Markup,
  str,
  toNumber,
} from './values.js';
import { contains } from './operators.js';

const TESTS: Record<string, Filter> = {
  boolean: (_c, v) => typeof v === 'boolean',
  callable: (_c, v) => v instanceof Callable,
  defined: (_c, v) => !isUndefined(v),
  undefined: (_c, v) => isUndefined(v),
  divisibleby: (_c, v, [n]) => toNumber(v) % toNumber(n) === 0,
  eq: (_c, v, [other]) => equals(v, other),
  ne: (_c, v, [other]) => !equals(v, other),
  lt: (_c, v, [other]) => compare(v, other) < 0,
  le: (_c, v, [other]) => compare(v, other) <= 0,
  gt: (_c, v, [other]) => compare(v, other) > 0,
  ge: (_c, v, [other]) => compare(v, other) >= 0,
  escaped: (_c, v) => v instanceof Markup,
  even: (_c, v) => toNumber(defined(v)) % 2 === 0,
  odd: (_c, v) => Math.abs(toNumber(defined(v)) % 2) === 1,
  false: (_c, v) => v === false,
  true: (_c, v) => v === true,
  none: (_c, v) => v === null || v === undefined,
  filter: (ctx, v) => ctx.env.options.filters.has(str(v)),
  test: (ctx, v) => ctx.env.options.tests.has(str(v)),
  float: (_c, v) => isFloat(v),
  integer: (_c, v) => isInt(v),
  number: (_c, v) => isNumber(v) || typeof v === 'boolean',
  in: (_c, v, [seq]) => contains(seq, v),
  iterable: (_c, v) => isString(v) || Array.isArray(v) || v instanceof Map,
  sequence: (_c, v) => isString(v) || Array.isArray(v) || v instanceof Map,
  mapping: (_c, v) => v instanceof Map,
  string: (_c, v) => isString(v),
  lower: (_c, v) => {
    const s = str(v);
    return /\p{Ll}/u.test(s) && s === s.toLowerCase();
  },
  upper: (_c, v) => {
    const s = str(v);
    return /\p{Lu}/u.test(s) && s === s.toUpperCase();
  },
  sameas: (_c, v, [other]) =>
    v === other || (v === undefined && other === null) || (v === null && other === undefined),
};

const ALIASES: Record<string, string> = {
  '==': 'eq',
  equalto: 'eq',
  '!=': 'ne',
  '<': 'lt',
  lessthan: 'lt',
  '<=': 'le',
  '>': 'gt',
  greaterthan: 'gt',
  '>=': 'ge',
};

/** Jinja2's built-in tests. */
export function builtinTests(): Map<string, Filter> {
  const tests = new Map(Object.entries(TESTS));
  for (const [alias, target] of Object.entries(ALIASES)) {
    const test = tests.get(target);
    if (test) tests.set(alias, test);
  }
  return tests;
}
