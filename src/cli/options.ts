import { InvalidArgumentError } from 'commander';

/** Parses a whole number flag value, rejecting "abc", "1.5" and "" with commander's one-line error. */
export function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number.parseInt(value, 10);
}
