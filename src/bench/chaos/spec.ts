import { randomInt } from 'node:crypto';
import { parseDuration } from '../../deadline/duration.js';
import { UserError } from '../../errors/index.js';
import type { PodKillSpec } from './pod-kill.js';

/** The interval of `--chaos pod-kill` without one. */
export const DEFAULT_KILL_INTERVAL_SECONDS = 30;

const HINT = 'use --chaos pod-kill or pod-kill:INTERVAL, e.g. --chaos pod-kill:15s';

/**
 * Reads `--chaos pod-kill[:INTERVAL]` (with `--chaos-seed N`, or a random seed that the run records) for a
 * run of `durationSeconds`: at least one kill must fit in the window.
 */
export function parseChaos(text: string, durationSeconds: number, seed?: number): PodKillSpec {
  const [action, interval, ...rest] = text.trim().split(':');
  if (action !== 'pod-kill' || rest.length > 0) {
    throw new UserError(`--chaos "${text}" is not a chaos action`, HINT);
  }
  let intervalSeconds = DEFAULT_KILL_INTERVAL_SECONDS;
  if (interval !== undefined) {
    try {
      intervalSeconds = parseDuration(interval) / 1000;
    } catch {
      throw new UserError(`--chaos "${text}": "${interval}" is not a duration`, HINT);
    }
  }
  if (!(intervalSeconds >= 1))
    throw new UserError(`--chaos "${text}": the interval must be at least 1s`, HINT);
  if (intervalSeconds >= durationSeconds) {
    throw new UserError(
      `--chaos "${text}": no kill fits in a ${durationSeconds}s run (one comes every ${intervalSeconds}s)`,
      'give a shorter interval or a longer --time',
    );
  }
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new UserError(`--chaos-seed ${seed} is not a whole number from 0 to 4294967295`);
  }
  return { action: 'pod-kill', intervalSeconds, seed: seed ?? randomInt(0, 0xffffffff) };
}
