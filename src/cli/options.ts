import { InvalidArgumentError } from 'commander';

/** Parses a duration like 500ms, 2s, 1.5m or 1h into milliseconds. */
export function durationOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration like 500ms, 30s, 5m or 1h.');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

/** Parses a whole number flag value, rejecting "abc", "1.5" and "" with commander's one-line error. */
export function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number.parseInt(value, 10);
}
