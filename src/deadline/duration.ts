import { UsageError } from '../errors/index.js';

/** Node's timers fire at once (with a warning) for delays above this: 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
const EXAMPLES = 'expected a duration like 30s, 5m or 1h30m';

/**
 * The one reading of a duration flag (--time, --timeout, --pod-start-delay, ...), in milliseconds, as
 * kubectl reads them: 500ms, 30s, 5m, 1h30m, 1.5m; a bare number is seconds. At most MAX_TIMER_MS, so a
 * timer can wait for it. Anything else is a UsageError (exit 2) whose message the CLI shows after the flag.
 */
export function parseDuration(value: string): number {
  const text = value.trim();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(text)) total = Number(text) * 1000;
  else {
    let rest = text;
    if (!rest) throw new UsageError(EXAMPLES);
    while (rest) {
      const match = PART.exec(rest);
      if (!match?.[1] || !match[2]) throw new UsageError(EXAMPLES);
      total += Number(match[1]) * (UNIT_MS[match[2]] ?? 1000);
      rest = rest.slice(match[0].length);
    }
  }
  if (total > MAX_TIMER_MS) {
    throw new UsageError(`the longest duration supported is ${formatDuration(MAX_TIMER_MS)}`);
  }
  return total;
}

/** "20s", "1m30s", "2h": how a duration is shown next to the flag that set it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
