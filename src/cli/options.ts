import { InvalidArgumentError, Option } from 'commander';
import { formatDuration, parseDuration } from '../deadline/index.js';
import { UserError } from '../errors/index.js';

/**
 * A duration flag's value in ms, read by the one parser (src/deadline/duration.ts). Its complaint becomes
 * commander's: `option '--time <duration>' argument 'soon' is invalid. expected ...`, exit 2, for every flag.
 */
export function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    if (err instanceof UserError) throw new InvalidArgumentError(`${err.message}.`);
    throw err;
  }
}

/** A --timeout: a duration above 0 (0 would mean giving up at once, not "no limit"). */
export function timeoutOption(value: string): number {
  const ms = durationOption(value);
  if (ms <= 0) throw new InvalidArgumentError('must be more than 0 (there is no "no limit"; give e.g. 1h).');
  return ms;
}

/** A duration flag with its default shown as a duration ("5m") rather than as milliseconds. */
export function durationFlag(
  flags: string,
  description: string,
  defaultMs: number,
  parse: (value: string) => number = durationOption,
): Option {
  return new Option(flags, description).argParser(parse).default(defaultMs, formatDuration(defaultMs));
}

/** Parses a whole number flag value, rejecting "abc", "1.5" and "" with commander's one-line error. */
export function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number.parseInt(value, 10);
}

/** Parses a decimal flag value such as 0.096 or 250. */
export function numberOption(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

/** A repeatable flag: each use adds its value (`--set a=1 --set b=2`). */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
