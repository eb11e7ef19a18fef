import { describe, expect, it } from 'vitest';
import { loadJobObjects } from './cluster-load.js';

type Loose = Record<string, unknown>;
const at = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Loose)[k] : undefined), o);

describe('in-cluster load Job', () => {
  const base = {
    runId: '20261202T024223Z-benchmark-b125',
    namespace: 'cncfdemo',
    monitoringNamespace: 'cncfdemo-monitoring',
    parallelism: 3,
    threads: 2,
    connections: 32,
    durationSeconds: 30,
    wrkImage: 'debian:bookworm-slim',
    k6Image: 'grafana/k6:1.8.1',
  };

  it('runs wrk with the Countly script against the Countly API by default, one generator per pod', async () => {
    const [configMap, job] = await loadJobObjects(base);
    expect(configMap?.kind).toBe('ConfigMap');
    expect(Object.keys(configMap?.data ?? {})).toEqual(['countly.lua', 'countly-k6.js']);
    expect(job?.kind).toBe('Job');
    // Names are valid object names (lower case); the run label keeps the id as it is.
    expect(job?.metadata.name).toBe('cncfdemo-loadgen-20261202t024223z-benchmark-b125');
    expect(configMap?.metadata.name).toBe('cncfdemo-loadgen-scripts-20261202t024223z-benchmark-b125');
    expect(job?.metadata.labels?.['cncfdemo.io/run']).toBe('20261202T024223Z-benchmark-b125');
    expect(at(job, 'spec', 'parallelism')).toBe(3);
    expect(at(job, 'spec', 'completions')).toBe(3);
    const container = at(job, 'spec', 'template', 'spec', 'containers', 0);
    expect(at(container, 'image')).toBe('debian:bookworm-slim');
    const script = String(at(container, 'args', 0));
    expect(script).toContain(
      'wrk --threads=2 --connections=32 --duration=30s --timeout=10s --latency --script=/scripts/countly.lua "http://countly-api.cncfdemo:3001"',
    );
    // A quarter core per wrk thread: the load fits beside the stack on a small node.
    expect(at(container, 'resources', 'requests', 'cpu')).toBe('500m');
    // The pushed metrics also go to the pod's log, after wrk's summary, for the run's cross-check.
    expect(script).toMatch(
      /cat \/tmp\/wrk\.out\n\s*# .*\n\s*echo '--- cncfdemo: pushed metrics ---'\n\s*cat "\$CNCFDEMO_METRICS_FILE"/,
    );
    const env = at(container, 'env') as { name: string; value?: string }[];
    expect(env.find((e) => e.name === 'PUSH_URL')?.value).toBe(
      'http://pushgateway.cncfdemo-monitoring:9091/metrics/job/cncfdemo-loadgen/run/20261202T024223Z-benchmark-b125/generator/wrk',
    );
  });

  it('switches to k6 at rate / parallelism per pod for the open model', async () => {
    const [, job] = await loadJobObjects({ ...base, rate: 600, target: 'http://example.internal:8080' });
    const container = at(job, 'spec', 'template', 'spec', 'containers', 0);
    expect(at(container, 'image')).toBe('grafana/k6:1.8.1');
    const env = at(container, 'env') as { name: string; value?: string }[];
    expect(env.find((e) => e.name === 'CNCFDEMO_RATE')?.value).toBe('200');
    expect(env.find((e) => e.name === 'CNCFDEMO_TARGET')?.value).toBe('http://example.internal:8080');
    expect(String(at(container, 'args', 0))).toContain(
      'k6 run --quiet --no-usage-report --address=127.0.0.1:6565 /scripts/countly-k6.js',
    );
  });
});
