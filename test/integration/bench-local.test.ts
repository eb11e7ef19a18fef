import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalLoad } from '../../src/bench/local-benchmark.js';
import { startLocalMonitoring, type LocalMonitoring } from '../../src/bench/local/monitoring.js';
import { startLocalTarget, type LocalTarget } from '../../src/bench/local/target.js';
import { PrometheusClient } from '../../src/bench/prometheus.js';
import { scrapeIntervalSeconds } from '../../src/bench/scrape-interval.js';
import { parseWrkSummary, type PrintedValue } from '../../src/bench/wrk/summary.js';
import { WRK_SCRIPT, wrkArgs } from '../../src/bench/wrk/run.js';

const run = promisify(execFile);
const within = (actual: number | null, printed: PrintedValue | undefined): void => {
  expect(printed).toBeDefined();
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - (printed?.value ?? NaN))).toBeLessThanOrEqual(
    (printed?.rounding ?? 0) + 1e-9,
  );
};

/** The [lower, upper] bucket bounds (seconds) around `value`, read back from Prometheus. */
async function bucketAround(prom: PrometheusClient, runId: string, value: number): Promise<[number, number]> {
  const les = (await prom.query(`cncfdemo_http_request_duration_seconds_bucket{run="${runId}"}`))
    .map((s) => Number(s.labels.le))
    .filter((le) => Number.isFinite(le))
    .sort((a, b) => a - b);
  const upper = les.find((le) => le >= value) ?? Infinity;
  const lower = [...les].reverse().find((le) => le < value) ?? 0;
  return [lower, upper];
}

describe('local HTTP pipeline: wrk + Lua script -> Pushgateway -> Prometheus -> results', () => {
  let monitoring: LocalMonitoring;
  let target: LocalTarget;
  beforeAll(async () => {
    monitoring = await startLocalMonitoring();
    target = await startLocalTarget();
  });
  afterAll(async () => {
    await target.close();
    await monitoring.stop();
  });

  it('reads the Pushgateway scrape interval from the configuration Prometheus runs with, from its start', async () => {
    // Before two scrapes Prometheus has no interval histogram; the configuration answers at once.
    expect(await scrapeIntervalSeconds(new PrometheusClient(monitoring.prometheusUrl))).toBe(
      monitoring.scrapeIntervalSeconds,
    );
  });

  it('reports the totals and percentiles wrk printed, built from Prometheus queries', async () => {
    const runId = `it-${Date.now()}`;
    const result = await runLocalLoad({
      runId,
      targetUrl: target.url,
      durationSeconds: 3,
      threads: 2,
      connections: 16,
      monitoring,
    });
    const printed = parseWrkSummary(result.generatorOutput);
    const http = result.http;

    expect(printed.requests).toBeGreaterThan(1000);
    expect(http.requests).toBe(printed.requests);
    expect(Math.abs(http.requestsPerSecond - printed.requestsPerSecond)).toBeLessThanOrEqual(0.01);
    expect(http.errors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0, status: 0, dropped: 0 });
    expect(target.counts()[200]).toBeGreaterThanOrEqual(printed.requests);
    expect(http.generators).toBe(1);
    within(http.latency.max, printed.latencyMax);

    // p99 from histogram_quantile lies in the bucket holding wrk's printed p99 (histogram resolution), and
    // the generator's own exact p99, pushed beside the buckets, equals the printed one within its rounding.
    const p99 = printed.latencyPercentiles['99'];
    const prom = new PrometheusClient(monitoring.prometheusUrl);
    const [lower, upper] = await bucketAround(prom, runId, http.latency.p99 ?? NaN);
    expect(p99?.value ?? NaN).toBeGreaterThanOrEqual(lower - (p99?.rounding ?? 0));
    expect(p99?.value ?? NaN).toBeLessThanOrEqual(upper + (p99?.rounding ?? 0));
    expect(upper / Math.max(lower, 1e-6)).toBeLessThanOrEqual(1.125 + 1e-9);
    const ownP99 = await prom.scalar(`cncfdemo_http_pod_latency_seconds{run="${runId}",quantile="0.99"}`);
    within(ownP99 ?? null, p99);
    within(
      http.latency.p50 !== null
        ? ((await prom.scalar(`cncfdemo_http_pod_latency_seconds{run="${runId}",quantile="0.5"}`)) ?? null)
        : null,
      printed.latencyPercentiles['50'],
    );

    expect(http.latencyCurve.map((p) => p.quantile)).toEqual([
      0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999,
    ]);
    const curve = http.latencyCurve.map((p) => p.seconds);
    expect([...curve].sort((a, b) => a - b)).toEqual(curve);
    // Throughput over time is sampled while running: it reaches the run's rate and does not overshoot it much.
    const peak = Math.max(...http.throughput.map((p) => p.v));
    expect(peak).toBeGreaterThan(0.5 * http.requestsPerSecond);
    expect(peak).toBeLessThan(1.6 * http.requestsPerSecond);
  });

  it('counts error responses the way wrk does (status >= 400)', async () => {
    let n = 0;
    const flaky = createServer((_req, res) => {
      n += 1;
      res.writeHead(n % 4 === 0 ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{"result":"Success"}');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const address = flaky.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runLocalLoad({
        runId: `it-errors-${Date.now()}`,
        targetUrl: `http://127.0.0.1:${port}`,
        durationSeconds: 1,
        threads: 1,
        connections: 4,
        monitoring,
      });
      const printed = parseWrkSummary(result.generatorOutput);
      expect(printed.errors.status).toBeGreaterThan(0);
      expect(result.http.errors.status).toBe(printed.errors.status);
      expect(result.http.requests).toBe(printed.requests);
    } finally {
      flaky.closeAllConnections();
      await new Promise((resolve) => flaky.close(resolve));
    }
  });

  it("exports buckets equal to wrk's full latency histogram", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-buckets-'));
    try {
      const metricsFile = join(dir, 'metrics.prom');
      const args = wrkArgs({ url: target.url, threads: 2, connections: 8, durationSeconds: 1 }).map((a) =>
        a.startsWith('--script=')
          ? `--script=${join(import.meta.dirname, '../fixtures/bench/verify-buckets.lua')}`
          : a,
      );
      await run('wrk', args, {
        env: { ...process.env, CNCFDEMO_SCRIPT: WRK_SCRIPT, CNCFDEMO_METRICS_FILE: metricsFile },
      });
      const values = (await readFile(`${metricsFile}.values`, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number) as [number, number]);
      const exported = [...(await readFile(metricsFile, 'utf8')).matchAll(/_bucket\{le="([^"]+)"\} (\d+)/g)];
      expect(exported.length).toBeGreaterThan(190);
      for (const [, le, count] of exported) {
        const boundUs = le === '+Inf' ? Infinity : Math.round(Number(le) * 1e6);
        const expected = values.filter(([v]) => v <= boundUs).reduce((sum, [, c]) => sum + c, 0);
        expect(Number(count), `bucket le=${le}`).toBe(expected);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the open model with k6 at a constant arrival rate (--rate)', async () => {
    const result = await runLocalLoad({
      runId: `it-rate-${Date.now()}`,
      targetUrl: target.url,
      durationSeconds: 3,
      threads: 1,
      connections: 1,
      rate: 200,
      monitoring,
    });
    const printed = /k6 open model: (\d+) requests at 200\/s target, (\d+) dropped/.exec(
      result.generatorOutput,
    );
    expect(result.http.generator).toBe('k6');
    expect(result.http.model).toBe('open');
    expect(result.http.requests).toBe(Number(printed?.[1]));
    expect(result.http.errors.dropped).toBe(Number(printed?.[2]));
    // 200/s for 3 s: k6 starts 600 iterations on schedule (a few may still be in flight at the end).
    expect(result.http.requests + result.http.errors.dropped).toBeGreaterThanOrEqual(595);
    expect(result.http.requests + result.http.errors.dropped).toBeLessThanOrEqual(601);
    expect(result.http.latency.p99).toBeGreaterThan(0);
  });
});
