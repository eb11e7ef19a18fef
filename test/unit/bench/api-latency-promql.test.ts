import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { packageRoot } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import { RunError } from '../../../src/errors/index.js';
import {
  apiCountQuery,
  apiLatencyQuery,
  API_LATENCY_CLASSES,
} from '../../../src/bench/measurements/api-request-latency.js';

/**
 * The API latency queries evaluated by Prometheus's own engine (promtool test rules) over series scraped
 * every 2 s: one that exists before the run (leases, 1 request a scrape, all under 0.1 s) and one born in
 * the run (the first 20 pods POSTed on a new cluster, all between 0.1 s and 1 s), which increase() over the
 * window would take as its own baseline and miss.
 */
let promtool: string;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cncfdemo-api-latency-'));
  // built once from the pinned Prometheus (cached), as for the stack's rules
  promtool = (await exec('bash', [join(packageRoot, 'scripts', 'build-promtool.sh')])).stdout.trim();
}, 900_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const mutating = API_LATENCY_CLASSES[0];
const leases = 'verb="PUT",scope="resource",resource="leases"';
const pods = 'verb="POST",scope="resource",resource="pods"';
const series = (name: string, labels: string, values: string) => ({
  series: `apiserver_request_duration_seconds_${name}{${labels}}`,
  values,
});
// t = 0, 2, ..., 60 s; the run starts at 10 s and is evaluated at 40 s
const existing = '10+1x30';
const bornAt20s = '_x10 20x20';
const inputSeries = [
  series('count', leases, existing),
  series('count', pods, bornAt20s),
  ...['0.1', '1', '+Inf'].map((le) => series('bucket', `${leases},le="${le}"`, existing)),
  series('bucket', `${pods},le="0.1"`, '_x10 0x20'),
  ...['1', '+Inf'].map((le) => series('bucket', `${pods},le="${le}"`, bornAt20s)),
];

async function promtoolTest(expr: string, value: number): Promise<string> {
  const file = join(work, 'test.yml');
  await writeFile(
    file,
    stringify({
      // promtool evaluates only on this grid (default 1m): eval_time between two steps reads the earlier one
      evaluation_interval: '2s',
      tests: [
        {
          interval: '2s',
          input_series: inputSeries,
          promql_expr_test: [{ expr, eval_time: '40s', exp_samples: [{ labels: '{}', value }] }],
        },
      ],
    }),
  );
  // promtool exits 1 when a test fails; its output says which
  try {
    const r = await exec(promtool, ['test', 'rules', file]);
    return r.stdout + r.stderr;
  } catch (err) {
    if (err instanceof RunError) return `FAILED ${err.output}`;
    throw err;
  }
}

describe('API latency queries, in Prometheus', () => {
  const start = new Date(10_000);

  it('count the requests since the scrape before the run, those of a series born in it from zero', async () => {
    // leases: 30 at 40 s less 15 at 10 s; pods: all 20
    expect(mutating && (await promtoolTest(apiCountQuery(mutating, start), 35))).toContain('SUCCESS');
    // the count is not simply what there is at the end
    expect(mutating && (await promtoolTest(apiCountQuery(mutating, start), 50))).toContain('FAILED');
  });

  it('take the quantile over the requests of the run only', async () => {
    // rank 0.99 × 35 = 34.65: 15 under 0.1 s, then 20 between 0.1 s and 1 s → 0.1 + 0.9 × 19.65 / 20
    expect(mutating && (await promtoolTest(apiLatencyQuery(mutating, 0.99, start), 0.98425))).toContain(
      'SUCCESS',
    );
  });
});
