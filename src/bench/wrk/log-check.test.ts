import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, type ErrorKind, type HttpResults } from '../../model/run-record.js';
import {
  crossCheckLogs,
  histogramQuantile,
  mergeBuckets,
  METRICS_LOG_MARKER,
  parseGeneratorLog,
  type GeneratorLog,
} from './log-check.js';

/** wrk 4's printed summary (the shape of test/fixtures/bench/wrk-output.txt). */
function wrkSummary(requests: number, p50: string, p99: string): string {
  return `Running 10s test @ http://countly-api.cncfdemo.svc:3001
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.42ms  610.00us   6.45ms   71.20%
    Req/Sec     2.10k   150.31     2.40k    68.00%
  Latency Distribution
     50%  ${p50}
     75%    1.80ms
     90%    2.40ms
     99%  ${p99}
  ${requests} requests in 10.00s, 1.20MB read
Requests/sec:  ${(requests / 10).toFixed(2)}
Transfer/sec:    123.45KB
`;
}

/** What countly.lua's done() writes: HELP/TYPE lines, labelled samples, `le` printed with %.9g. */
function exposition(requests: number, buckets: [string, number][]): string {
  const count = buckets.at(-1)?.[1] ?? 0;
  return [
    "# HELP cncfdemo_http_requests_total HTTP responses received (wrk's completed requests).",
    '# TYPE cncfdemo_http_requests_total counter',
    `cncfdemo_http_requests_total ${requests}`,
    '# TYPE cncfdemo_http_errors_total counter',
    ...['connect', 'read', 'write', 'timeout', 'status'].map(
      (k) => `cncfdemo_http_errors_total{kind="${k}"} 0`,
    ),
    'cncfdemo_http_load_duration_seconds 10.0012',
    '# HELP cncfdemo_http_request_duration_seconds Request latency (send to full response).',
    '# TYPE cncfdemo_http_request_duration_seconds histogram',
    ...buckets.map(([le, n]) => `cncfdemo_http_request_duration_seconds_bucket{le="${le}"} ${n}`),
    `cncfdemo_http_request_duration_seconds_sum ${count * 0.0014}`,
    `cncfdemo_http_request_duration_seconds_count ${count}`,
    'cncfdemo_http_latency_max_seconds 0.00645',
    'cncfdemo_http_pod_latency_seconds{quantile="0.5"} 0.000156',
    'cncfdemo_http_pod_latency_seconds{quantile="0.99"} 0.00227',
    'cncfdemo_http_sent_requests_total 21004',
    'cncfdemo_http_generator_threads 2',
    '',
  ].join('\n');
}

function podLog(requests: number, printed: [string, string], buckets: [string, number][]): string {
  return `${wrkSummary(requests, ...printed)}${METRICS_LOG_MARKER}\n${exposition(requests, buckets)}`;
}

describe('histogram_quantile over logged buckets', () => {
  const buckets: [number, number][] = [
    [0.1, 10],
    [0.2, 30],
    [Infinity, 40],
  ];

  it('interpolates from 0 inside the first bucket', () => {
    expect(histogramQuantile(0.2, buckets)).toBeCloseTo(0.08, 12); // rank 8 of 10 in [0, 0.1]
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.1, 12); // rank 10: the bucket's upper bound
  });

  it('interpolates inside a middle bucket', () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.15, 12); // rank 20: 10 of the 20 in (0.1, 0.2]
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.19, 12); // rank 28: 18 of the 20
  });

  it('gives the last finite bound for a rank in +Inf', () => {
    expect(histogramQuantile(0.9, buckets)).toBe(0.2);
    expect(histogramQuantile(0.99, buckets)).toBe(0.2);
  });

  it('is null without a +Inf bucket (a log cut short), as Prometheus gives NaN', () => {
    expect(
      histogramQuantile(0.5, [
        [0.1, 10],
        [0.2, 30],
      ]),
    ).toBeNull();
  });

  it('is null without observations', () => {
    expect(histogramQuantile(0.5, [])).toBeNull();
    expect(histogramQuantile(0.5, [[Infinity, 0]])).toBeNull();
    expect(
      histogramQuantile(0.5, [
        [0.1, 0],
        [Infinity, 0],
      ]),
    ).toBeNull();
  });
});

describe("a load generator pod's log", () => {
  // Bounds as %.9g prints them: exponent forms sort wrongly as text, so they must be read as numbers.
  const printedBuckets: [string, number][] = [
    ['1e-05', 0],
    ['9.5e-05', 0],
    ['0.0001', 3],
    ['0.00011', 10],
    ['0.00095', 200],
    ['0.001', 240],
    ['10', 250],
    ['+Inf', 250],
  ];
  const expected: [number, number][] = [
    [1e-5, 0],
    [9.5e-5, 0],
    [1e-4, 3],
    [1.1e-4, 10],
    [9.5e-4, 200],
    [1e-3, 240],
    [10, 250],
    [Infinity, 250],
  ];

  it("reads wrk's summary before the marker and the pushed buckets after it", () => {
    const log = parseGeneratorLog('wrk-abc12', podLog(21003, ['156.00us', '2.27ms'], printedBuckets));
    expect(log.pod).toBe('wrk-abc12');
    expect(log.buckets).toEqual(expected);
    expect(log.summary).toMatchObject({ requests: 21003, threads: 2, connections: 8, durationSeconds: 10 });
    expect(log.summary.latencyPercentiles['50']?.value).toBeCloseTo(156e-6, 12);
    expect(log.summary.latencyPercentiles['99']?.value).toBeCloseTo(2.27e-3, 12);
  });

  it('sorts buckets by bound whatever order they were logged in', () => {
    const log = parseGeneratorLog(
      'wrk-abc12',
      podLog(21003, ['156.00us', '2.27ms'], [...printedBuckets].reverse()),
    );
    expect(log.buckets).toEqual(expected);
  });

  it('says in one line which pod logged no metrics', () => {
    const parse = () => parseGeneratorLog('wrk-xyz99', wrkSummary(10, '1.00ms', '2.00ms'));
    expect(parse).toThrow(/^the log of wrk-xyz99 has no pushed metrics/);
    expect(parse).toThrow(METRICS_LOG_MARKER);
    expect(parse).not.toThrow(/\n/);
  });

  it('sums cumulative counts per bound across pods', () => {
    const a = parseGeneratorLog(
      'wrk-a',
      podLog(
        6,
        ['1.00ms', '2.00ms'],
        [
          ['0.001', 2],
          ['0.002', 5],
          ['+Inf', 6],
        ],
      ),
    );
    const b = parseGeneratorLog(
      'wrk-b',
      podLog(
        4,
        ['1.00ms', '2.00ms'],
        [
          ['0.001', 1],
          ['0.002', 1],
          ['+Inf', 4],
        ],
      ),
    );
    expect(mergeBuckets([a, b])).toEqual([
      [0.001, 3],
      [0.002, 6],
      [Infinity, 10],
    ]);
  });
});

describe('the run checked against the pods’ logs', () => {
  // Pod a: p50 rank 50 ends bucket 1 ms (-> 1 ms), p99 rank 99 in (2, 4] ms (-> 3.8 ms).
  // Pod b: p50 rank 50 in (1, 2] ms (-> 1.4 ms), p99 rank 99 in (2, 4] ms (-> 3.9 ms).
  const bucketsA: [string, number][] = [
    ['0.001', 50],
    ['0.002', 90],
    ['0.004', 100],
    ['+Inf', 100],
  ];
  const bucketsB: [string, number][] = [
    ['0.001', 30],
    ['0.002', 80],
    ['0.004', 100],
    ['+Inf', 100],
  ];
  // Merged: 80, 170, 200, 200. p50 rank 100: 0.001 + 0.001 * 20/90; p99 rank 198: 0.002 + 0.002 * 28/30.
  const p50 = 0.001 + 0.001 * (20 / 90);
  const p99 = 0.002 + 0.002 * (28 / 30);

  const logs = (printedA: [string, string] = ['900.00us', '3.50ms']): GeneratorLog[] => [
    parseGeneratorLog('wrk-a', podLog(98, printedA, bucketsA)),
    parseGeneratorLog('wrk-b', podLog(99, ['1.50ms', '3.90ms'], bucketsB)),
  ];

  function http(
    overrides: { requests?: number; generators?: number; p50?: number; p99?: number } = {},
  ): HttpResults {
    return {
      generator: 'wrk',
      model: 'closed',
      target: 'http://countly-api.cncfdemo.svc:3001',
      generators: overrides.generators ?? 2,
      requests: overrides.requests ?? 197,
      requestsPerSecond: 19.7,
      bytes: 0,
      errors: Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>,
      latency: { p50: overrides.p50 ?? p50, p90: null, p99: overrides.p99 ?? p99, p999: null, max: null },
      latencyCurve: [],
      throughput: [],
    };
  }

  it('agrees when totals and quantiles match and each pod printed within its buckets', () => {
    const check = crossCheckLogs(logs(), http());
    expect(check.problems).toEqual([]);
    expect(check.agree).toBe(true);
    expect(check.requestsLogged).toBe(197);
    expect(check.requestsRecorded).toBe(197);
    expect(check.quantiles.map((q) => q.quantile)).toEqual([0.5, 0.99]);
    expect(check.quantiles[0]?.fromLogs).toBeCloseTo(p50, 12);
    expect(check.quantiles[1]?.fromLogs).toBeCloseTo(p99, 12);
    expect(check.generators.map((g) => [g.pod, g.requests, g.buckets.p50, g.buckets.p99])).toEqual([
      ['wrk-a', 98, [0, 0.001], [0.002, 0.004]],
      ['wrk-b', 99, [0.001, 0.002], [0.002, 0.004]],
    ]);
  });

  it('names both totals when they differ', () => {
    const check = crossCheckLogs(logs(), http({ requests: 150 }));
    expect(check.agree).toBe(false);
    expect(check.problems).toEqual(["the pods' logs total 197 requests, the record 150"]);
  });

  it('flags a recorded p99 that the logged buckets do not give', () => {
    const check = crossCheckLogs(logs(), http({ p99: 0.005 }));
    expect(check.agree).toBe(false);
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(/^p99: 0\.00386\d*s from the logs, 0\.005s recorded$/);
  });

  it("flags a pod whose printed p99 lies outside the bucket of its own histogram's p99", () => {
    const check = crossCheckLogs(logs(['900.00us', '5.00ms']), http());
    expect(check.agree).toBe(false);
    expect(check.problems).toEqual([
      'wrk-a: wrk printed p99 0.005s, outside the bucket [0.002, 0.004]s of its histogram',
    ]);
  });

  it('flags a count of logs other than the recorded generators', () => {
    const check = crossCheckLogs(logs(), http({ generators: 3 }));
    expect(check.problems).toEqual(['2 pod logs read, 3 generators recorded']);
  });
});
