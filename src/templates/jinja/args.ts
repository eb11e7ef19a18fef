import { EvalError } from './values.js';

/** Binds positional and keyword arguments to a Python-style signature; missing ones take the defaults. */
export function bind(
  name: string,
  params: readonly (readonly [string, unknown])[],
  args: readonly unknown[],
  kwargs: ReadonlyMap<string, unknown>,
): unknown[] {
  if (args.length > params.length) {
    throw new EvalError(`${name}() takes at most ${params.length} argument(s) (${args.length} given)`);
  }
  const bound = params.map(([, dflt], i) => (i < args.length ? args[i] : dflt));
  for (const [key, value] of kwargs) {
    const at = params.findIndex(([p]) => p === key);
    if (at < 0) throw new EvalError(`${name}() got an unexpected keyword argument '${key}'`);
    if (at < args.length) throw new EvalError(`${name}() got multiple values for argument '${key}'`);
    bound[at] = value;
  }
  return bound;
}
