import { bind } from './args.js';
import { Callable, EvalError, Namespace, str, toNumber } from './values.js';

/** range(), dict(), namespace(), cycler(), joiner() as Jinja2 defines them. */
export function builtinGlobals(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['range', new Callable('range', (args) => range(args))],
    [
      'dict',
      new Callable('dict', (args, kwargs) => {
        const map = new Map<unknown, unknown>();
        const [first] = args;
        if (first instanceof Map) for (const [k, v] of first) map.set(k, v);
        for (const [k, v] of kwargs) map.set(k, v);
        return map;
      }),
    ],
    [
      'namespace',
      new Callable('namespace', (args, kwargs) => {
        const ns = new Namespace();
        const [first] = args;
        if (first instanceof Map) for (const [k, v] of first) ns.attrs.set(str(k), v);
        for (const [k, v] of kwargs) ns.attrs.set(k, v);
        return ns;
      }),
    ],
    ['cycler', new Callable('cycler', (items) => cycler(items))],
    [
      'joiner',
      new Callable('joiner', (args, kwargs) => {
        const [sep] = bind('joiner', [['sep', ', ']], args, kwargs);
        let used = false;
        return new Callable('joiner', () => {
          if (used) return str(sep);
          used = true;
          return '';
        });
      }),
    ],
  ]);
}

/** Python's range(); capped so a typo cannot allocate without bound (Jinja2's sandbox caps at 100000 too). */
function range(args: unknown[]): number[] {
  const nums = args.map(toNumber);
  const [start, stop, step] =
    nums.length === 1 ? [0, nums[0] ?? 0, 1] : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 1];
  if (step === 0) throw new EvalError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 1_000_000) throw new EvalError('range too big (more than 1000000 items)');
  }
  return out;
}

function cycler(items: unknown[]): Namespace {
  const ns = new Namespace();
  let pos = 0;
  const update = (): void => {
    ns.attrs.set('current', items[pos]);
  };
  ns.attrs.set(
    'next',
    new Callable('next', () => {
      const value = items[pos];
      pos = (pos + 1) % items.length;
      update();
      return value;
    }),
  );
  ns.attrs.set(
    'reset',
    new Callable('reset', () => {
      pos = 0;
      update();
      return null;
    }),
  );
  update();
  return ns;
}
