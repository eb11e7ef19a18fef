import { percentFormat } from './format.js';
import {
  defined,
  equals,
  EvalError,
  findKey,
  float,
  isFloat,
  isInt,
  isNumber,
  isString,
  isTuple,
  Markup,
  NOT_FOUND,
  numericOperand,
  str,
  toNumber,
  tuple,
  typeName,
  Undefined,
} from './values.js';

/** Python's arithmetic and `~` on template values. */
export function binaryOp(op: string, left: unknown, right: unknown): unknown {
  if (op === '~') {
    defined(left);
    defined(right);
  } else {
    numericOperand(left);
    if (op !== 'neg' && op !== 'pos') numericOperand(right);
  }
  if (left instanceof Markup) left = left.text;
  if (right instanceof Markup) right = right.text;
  switch (op) {
    case '~':
      return str(left) + str(right);
    case 'neg':
      if (typeof left === 'bigint') return -left;
      return numeric(left, 0, (a) => -a, 'bad operand type for unary -');
    case 'pos':
      return numeric(left, 0, (a) => a, 'bad operand type for unary +');
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      if (Array.isArray(left) && Array.isArray(right) && isTuple(left) === isTuple(right)) {
        const joined: unknown[] = [...(left as unknown[]), ...(right as unknown[])];
        return isTuple(left) ? tuple(joined) : joined;
      }
      return arithmetic(
        op,
        left,
        right,
        (a, b) => a + b,
        (a, b) => a + b,
      );
    case '-':
      return arithmetic(
        op,
        left,
        right,
        (a, b) => a - b,
        (a, b) => a - b,
      );
    case '*':
      if ((typeof left === 'string' || Array.isArray(left)) && isInt(right))
        return repeat(left, Number(right));
      if ((typeof right === 'string' || Array.isArray(right)) && isInt(left))
        return repeat(right, Number(left));
      return arithmetic(
        op,
        left,
        right,
        (a, b) => a * b,
        (a, b) => a * b,
      );
    case '/': {
      const [a, b] = numbers(op, left, right);
      if (b === 0) throw new EvalError('division by zero');
      return float(a / b);
    }
    case '//': {
      if (typeof left === 'bigint' || typeof right === 'bigint') return bigDivision(op, left, right);
      const [a, b] = numbers(op, left, right);
      if (b === 0) throw new EvalError('integer division or modulo by zero');
      const r = Math.floor(a / b);
      return isFloat(left) || isFloat(right) ? float(r) : r;
    }
    case '%': {
      if (typeof left === 'string') return percentFormat(left, right);
      if (typeof left === 'bigint' || typeof right === 'bigint') return bigDivision(op, left, right);
      const [a, b] = numbers(op, left, right);
      if (b === 0) throw new EvalError('integer division or modulo by zero');
      const r = a - b * Math.floor(a / b);
      return isFloat(left) || isFloat(right) ? float(r) : r;
    }
    case '**': {
      if (typeof left === 'bigint' || typeof right === 'bigint')
        return arithmetic(
          op,
          left,
          right,
          (a, b) => a ** b,
          (a, b) => a ** b,
        );
      const [a, b] = numbers(op, left, right);
      const r = a ** b;
      if (isFloat(left) || isFloat(right) || b < 0) return float(r);
      return Number.isSafeInteger(r) ? r : BigInt(Math.round(a)) ** BigInt(Math.round(b));
    }
    default:
      throw new EvalError(`unknown operator ${op}`);
  }
}

/** Floor division and modulo of ints beyond 2^53, exact like Python's. */
function bigDivision(op: string, left: unknown, right: unknown): unknown {
  if (!isInt(left) || !isInt(right)) {
    const [a, b] = numbers(op, left, right);
    return float(op === '//' ? Math.floor(a / b) : a - b * Math.floor(a / b));
  }
  const [a, b] = [BigInt(left), BigInt(right)];
  if (b === 0n) throw new EvalError('integer division or modulo by zero');
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  const r = op === '//' ? q : a - b * q;
  return r >= BigInt(Number.MIN_SAFE_INTEGER) && r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r;
}

function repeat(value: string | unknown[], times: number): string | unknown[] {
  if (typeof value === 'string') return value.repeat(Math.max(0, times));
  const out: unknown[] = [];
  for (let i = 0; i < times; i++) out.push(...value);
  return isTuple(value) ? tuple(out) : out;
}

function numbers(op: string, left: unknown, right: unknown): [number, number] {
  if (!isNumeric(left) || !isNumeric(right)) throw unsupported(op, left, right);
  return [toNumber(left), toNumber(right)];
}

function isNumeric(value: unknown): boolean {
  return isNumber(value) || typeof value === 'boolean';
}

function numeric(value: unknown, _unused: number, f: (a: number) => number, message: string): unknown {
  if (!isNumeric(value)) throw new EvalError(`${message}: '${typeName(value)}'`);
  const r = f(toNumber(value));
  return isFloat(value) ? float(r) : r;
}

function arithmetic(
  op: string,
  left: unknown,
  right: unknown,
  f: (a: number, b: number) => number,
  big: (a: bigint, b: bigint) => bigint,
): unknown {
  if (!isNumeric(left) || !isNumeric(right)) throw unsupported(op, left, right);
  if (isFloat(left) || isFloat(right)) return float(f(toNumber(left), toNumber(right)));
  const r = f(toNumber(left), toNumber(right));
  if (Number.isSafeInteger(r) && typeof left !== 'bigint' && typeof right !== 'bigint') return r;
  const bl = typeof left === 'boolean' ? BigInt(left ? 1 : 0) : BigInt(left as number | bigint);
  const br = typeof right === 'boolean' ? BigInt(right ? 1 : 0) : BigInt(right as number | bigint);
  const b = big(bl, br);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function unsupported(op: string, left: unknown, right: unknown): EvalError {
  return new EvalError(`unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`);
}

/** Python's `in`. */
export function contains(container: unknown, value: unknown): boolean {
  defined(container);
  defined(value);
  if (isString(container)) {
    if (!isString(value))
      throw new EvalError(`'in <string>' requires string as left operand, not ${typeName(value)}`);
    return str(container).includes(str(value));
  }
  if (Array.isArray(container)) return container.some((v) => equals(v, value));
  if (container instanceof Map) return findKey(container, value) !== NOT_FOUND;
  if (container instanceof Undefined) return false;
  throw new EvalError(`argument of type '${typeName(container)}' is not iterable`);
}
