/** What wrk printed at the end of a run, parsed. Times in seconds. */
export interface WrkSummary {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  threads: number;
  connections: number;
  /** Printed latency percentiles (needs --latency), keyed "50", "75", "90", "99". */
  latencyPercentiles: Record<string, PrintedValue>;
  latencyMax: PrintedValue | undefined;
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
}

/** A number as wrk printed it, with the half-unit its two decimals can hide. */
export interface PrintedValue {
  value: number;
  /** |true value - value| <= rounding. */
  rounding: number;
}

const TIME_UNITS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Parses wrk's time format ("156.00us", "2.27ms", "1.02s", "1.50m"). */
export function parseWrkTime(text: string): PrintedValue {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) throw new Error(`not a wrk time: "${text}"`);
  const unit = TIME_UNITS[match[2]] ?? 1;
  const decimals = match[1].split('.')[1]?.length ?? 0;
  return { value: Number(match[1]) * unit, rounding: 0.5 * 10 ** -decimals * unit };
}

function num(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`wrk output has no ${what}:\n${text}`);
  return match;
}

export function parseWrkSummary(text: string): WrkSummary {
  const [, threads, connections] = num(text, /(\d+) threads and (\d+) connections/, 'thread/connection line');
  const [, requests, duration] = num(text, /^\s*(\d+) requests in ([\d.]+\w+),/m, 'request total');
  const [, rps] = num(text, /^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec');
  const latencyPercentiles: Record<string, PrintedValue> = {};
  for (const m of text.matchAll(/^\s+(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?(?:us|ms|s|m|h))\s*$/gm)) {
    if (m[1] && m[2]) latencyPercentiles[m[1]] = parseWrkTime(m[2]);
  }
  const latencyLine = /^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const status = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(requests),
    durationSeconds: parseWrkTime(duration ?? '0s').value,
    requestsPerSecond: Number(rps),
    threads: Number(threads),
    connections: Number(connections),
    latencyPercentiles,
    latencyMax: latencyLine?.[1] ? parseWrkTime(latencyLine[1]) : undefined,
    errors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
      status: Number(status?.[1] ?? 0),
    },
  };
}
