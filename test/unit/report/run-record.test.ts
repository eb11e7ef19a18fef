import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCost, type PriceTable } from '../../../src/report/cost.js';
import { loadPriceTable } from '../../../src/report/cost.js';
import { comparisonText } from '../../../src/report/compare.js';
import { renderReportHtml } from '../../../src/report/html.js';
import { loadPageAssets } from '../../../src/report/page.js';
import { phasesFromEvents } from '../../../src/report/store.js';
import { runRecordProblems, runRecordValidator } from '../../../src/report/validate.js';
import type { RunRecord } from '../../../src/model/run-record.js';

const fixtures = join(import.meta.dirname, '../../fixtures/report');
const load = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const files = readdirSync(fixtures);

describe('run record schema (schemas/run-record.schema.json)', () => {
  const validate = runRecordValidator();
  it.each(files.filter((f) => f.startsWith('valid-')))('accepts %s', (file) => {
    expect(runRecordProblems(load(file), validate)).toEqual([]);
  });
  it.each([
    ['invalid-missing-p99.json', "/results/http/latency: must have required property 'p99'"],
    ['invalid-negative-errors.json', '/results/http/errors/status: must be >= 0'],
    ['invalid-types.json', '/Metadata/nodes/simulated: must be boolean'],
  ])('rejects %s', (file, problem) => {
    expect(runRecordProblems(load(file), validate)).toContain(problem);
  });
  it('rejects unknown top-level fields', () => {
    expect(runRecordProblems(load('invalid-types.json'), validate)).toContain(
      '/: must NOT have additional properties',
    );
  });
});

describe('cost', () => {
  const table: PriceTable = {
    currency: 'USD',
    providers: { aws: { 'm5.large': 0.096 }, local: { default: 0 } },
  };
  const start = new Date('2025-01-01T12:00:00Z');
  const end = new Date('2025-01-01T12:30:00Z');
  it('prices node-hours from the table and per million requests', () => {
    const cost = runCost(table, {
      provider: 'aws',
      instanceType: 'm5.large',
      nodes: 4,
      start,
      end,
      requests: 2_000_000,
    });
    expect(cost.nodeHours).toBe(2);
    expect(cost.total).toBeCloseTo(0.192, 10);
    expect(cost.perMillionRequests).toBeCloseTo(0.096, 10);
    expect(cost.priceSource).toBe('price table');
  });
  it('lets --price-per-node-hour override the table, and says when the price is unknown', () => {
    expect(
      runCost(table, {
        provider: 'local',
        instanceType: null,
        nodes: 3,
        start,
        end,
        requests: null,
        override: 1,
      }),
    ).toMatchObject({
      pricePerNodeHour: 1,
      priceSource: 'override',
      total: 1.5,
      perMillionRequests: null,
    });
    expect(
      runCost(table, { provider: 'gcp', instanceType: 'n2', nodes: 1, start, end, requests: 10 }),
    ).toMatchObject({
      priceSource: 'unknown',
      total: null,
    });
  });
  it("prices each machine group of the cluster's record on its own; one unpriced type makes it unknown", () => {
    const prices: PriceTable = {
      currency: 'USD',
      providers: { aws: { 't3.medium': 0.04, 'm5.large': 0.1 } },
    };
    const machines = [
      { instanceType: 't3.medium', count: 1 },
      { instanceType: 'm5.large', count: 3 },
    ];
    // The first node's type alone (t3.medium) would price all four at 0.04.
    const base = { provider: 'aws', instanceType: 't3.medium', nodes: 4, start, end, requests: null };
    const cost = runCost(prices, { ...base, machines });
    expect(cost.total).toBeCloseTo((0.04 + 3 * 0.1) / 2, 10);
    expect(cost.nodeHours).toBe(2);
    expect(cost.pricePerNodeHour).toBeCloseTo(0.085, 10);
    expect(cost.priceSource).toBe('price table');
    expect(
      runCost(prices, { ...base, machines: [...machines, { instanceType: 'x9.huge', count: 1 }] }),
    ).toMatchObject({ priceSource: 'unknown', total: null, nodeHours: 2.5 });
    // --price-per-node-hour prices every machine the record counts.
    expect(runCost(prices, { ...base, machines, override: 1 })).toMatchObject({
      priceSource: 'override',
      total: 2,
    });
  });

  it('reads data/prices.yaml', async () => {
    const prices = await loadPriceTable();
    expect(prices.providers.aws?.['m5.large']).toBe(0.096);
    expect(prices.providers.local?.default).toBe(0);
  });
});

describe('phases from events', () => {
  it('folds start and end events, keeping output and outcome', () => {
    const phases = phasesFromEvents([
      { time: '2025-01-01T12:00:00.000Z', scope: 'bench', id: 'load', title: 'wrk', phase: 'start' },
      {
        time: '2025-01-01T12:00:01.000Z',
        scope: 'bench',
        id: 'load',
        title: 'wrk',
        phase: 'progress',
        message: 'half',
      },
      {
        time: '2025-01-01T12:00:02.000Z',
        scope: 'bench',
        id: 'load',
        title: 'wrk',
        phase: 'end',
        outcome: 'ok',
        durationMs: 2000,
        output: 'summary',
      },
      { time: '2025-01-01T12:00:02.000Z', scope: 'bench', id: 'http', title: 'HTTP', phase: 'start' },
    ]);
    expect(phases).toEqual([
      {
        scope: 'bench',
        id: 'load',
        title: 'wrk',
        start: '2025-01-01T12:00:00.000Z',
        end: '2025-01-01T12:00:02.000Z',
        outcome: 'ok',
        durationMs: 2000,
        output: 'summary',
      },
      {
        scope: 'bench',
        id: 'http',
        title: 'HTTP',
        start: '2025-01-01T12:00:02.000Z',
        end: null,
        outcome: null,
        durationMs: null,
      },
    ]);
  });
});

describe('compare', () => {
  it('shows runs with different node counts side by side', () => {
    const a = load('valid-cluster-run.json') as RunRecord;
    const b = load('valid-simulated-run.json') as RunRecord;
    const text = comparisonText([a, b]);
    const line = (label: string): string => text.split('\n').find((l) => l.startsWith(label)) ?? '';
    expect(line('nodes')).toMatch(/^nodes\s+3\s+10 \(simulated\)$/);
    expect(line('HTTP ')).toMatch(/wrk, closed model\s+skipped/);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^\\s+${a.id}\\s+${b.id}$`));
  });

  it("shows an aws run's region and instance types by role beside a local run", () => {
    const aws = load('valid-aws-run.json') as RunRecord;
    const local = load('valid-cluster-run.json') as RunRecord;
    const text = comparisonText([aws, local]);
    const line = (label: string): string => text.split('\n').find((l) => l.startsWith(label)) ?? '';
    expect(line('provider')).toMatch(/^provider\s+aws\s+local$/);
    expect(line('region')).toMatch(/^region\s+us-east-1\s+–$/);
    expect(line('instance type')).toMatch(
      /^instance type\s+master 1 × t3\.medium, minion 3 × t3\.large\s+–$/,
    );
    expect(line('cost of run')).toMatch(/^cost of run\s+0\.002427 USD\s+/);
  });

  it("shows an aws run's region and machines by role in its report", async () => {
    const html = renderReportHtml(load('valid-aws-run.json') as RunRecord, await loadPageAssets());
    expect(html).toContain('<tr><th>Region</th><td>us-east-1</td></tr>');
    expect(html).toContain(
      '<tr><th>Instance type</th><td>master 1 × t3.medium, minion 3 × t3.large</td></tr>',
    );
  });

  it('says what each run measured and skipped: "not measured" is never shown as a number', () => {
    const real = load('valid-cluster-run.json') as RunRecord;
    real.results.stack = {
      deployed: true,
      apiServer: 'ingest',
      leftOut: [{ name: 'mongos', when: 'mongo.enabled' }],
    };
    const simulated = load('valid-simulated-run.json') as RunRecord;
    simulated.results.chaos = {
      action: 'pod-kill',
      intervalSeconds: 10,
      seed: 3,
      target: 'cncfdemo/deployment/countly-api',
      kills: [
        {
          at: simulated.Metadata.start,
          pod: 'countly-api-1',
          readyBefore: 2,
          recoveredAt: simulated.Metadata.end,
          recoverySeconds: 1.5,
        },
      ],
      notes: [],
    };
    const text = comparisonText([real, simulated]);
    const line = (label: string): string => text.split('\n').find((l) => l.startsWith(label)) ?? '';
    expect(line('requests ')).toMatch(/^requests\s+[\d,]+\s+not measured$/);
    expect(line('latency p99 ')).toMatch(/not measured$/);
    expect(line('served by')).toMatch(/ingest server \(Countly-shaped\)\s+not measured$/);
    expect(line('left out of the stack')).toMatch(/mongos\s+–$/);
    expect(line('chaos ')).toMatch(/2 pod-kill every 15 s \(seed 42\)\s+1 pod-kill every 10 s \(seed 3\)$/);
    expect(line('chaos: slowest recovery')).toMatch(/4\.00 s\s+1\.50 s$/);
    expect(line('chaos: failed requests')).toMatch(/19\s+not measured \(no traffic\)$/);
    expect(line('not measured')).toMatch(/^not measured\s+–\s+HTTP load/);
  });
});
