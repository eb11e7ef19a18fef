import { InvalidArgumentError } from 'commander';

/** Parses a decimal flag value such as 0.096 or 250. */
export function numberOption(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}
