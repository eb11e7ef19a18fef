import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { planObjects, planStack, type StackPlan } from '../../../src/stack/plan.js';
import { readStackSources } from '../../../src/stack/sources.js';
import { readValuesSources, resolveValues } from '../../../src/stack/values.js';
import { metricNames, withoutGrafanaVariables } from './promql.js';

interface Dashboard {
  uid: string;
  title: string;
  panels: {
    title: string;
    datasource: { uid: string };
    targets: { expr: string; datasource: { uid: string } }[];
  }[];
}

interface MetricSource {
  counters?: string[];
  gauges?: string[];
  histograms?: string[];
}

let promtool: string;
let work: string;
let plan: StackPlan;

beforeAll(async () => {
  // Debian's promtool lacks Kubernetes service discovery; this builds the upstream one once (cached).
  promtool = (await exec('bash', [join(packageRoot, 'scripts', 'build-promtool.sh')])).stdout.trim();
  work = await mkdtemp(join(tmpdir(), 'cncfdemo-promtool-'));
  const [sources, values] = await Promise.all([readStackSources(), readValuesSources()]);
  plan = planStack(sources, {
    values: resolveValues(values, [
      { namespaces: { stack: 'demo', monitoring: 'demo-mon' }, domain: 'demo.example.com' },
    ]),
  });
}, 900_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const configMap = (name: string): Record<string, string> => {
  const cm = planObjects(plan).find((o: KubeObject) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!cm) throw new Error(`the plan has no ConfigMap ${name}`);
  return cm.data as Record<string, string>;
};

async function promtoolCheck(args: string[]): Promise<string> {
  const { stdout, stderr } = await exec(promtool, ['check', ...args]);
  return stdout + stderr;
}

/** Every metric the stack produces (metrics.yaml, histograms with their series) and every recorded rule. */
async function producedMetrics(): Promise<Set<string>> {
  const doc = parse(
    await readFile(join(packageRoot, 'manifests/addons/prometheus/metrics.yaml'), 'utf8'),
  ) as {
    sources: Record<string, MetricSource>;
  };
  const names = new Set<string>();
  for (const source of Object.values(doc.sources)) {
    for (const n of [...(source.counters ?? []), ...(source.gauges ?? [])]) names.add(n);
    for (const h of source.histograms ?? [])
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(h + suffix);
  }
  for (const rule of recordingRules()) names.add(rule.record);
  return names;
}

function rules(): { record?: string; alert?: string; expr: string }[] {
  const doc = parse(configMap('prometheus-config')['rules.yml'] ?? '') as {
    groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
  };
  return doc.groups.flatMap((g) => g.rules);
}

function recordingRules(): { record: string; expr: string }[] {
  return rules().filter((r): r is { record: string; expr: string } => r.record !== undefined);
}

function dashboards(): Dashboard[] {
  return Object.entries(configMap('grafana-dashboards'))
    .filter(([key]) => key.endsWith('.json'))
    .map(([, text]) => JSON.parse(text) as Dashboard);
}

describe('Prometheus configuration', () => {
  it('passes promtool check config, rule file included', async () => {
    const data = configMap('prometheus-config');
    await writeFile(join(work, 'rules.yml'), data['rules.yml'] ?? '');
    // In the pod the ConfigMap is mounted at /etc/prometheus and the ServiceAccount's token and CA at
    // /var/run/secrets/kubernetes.io/serviceaccount; promtool checks that referenced files exist, so the
    // paths point into a scratch folder here, everything else is checked as rendered.
    const account = join(work, 'serviceaccount');
    await mkdir(account, { recursive: true });
    await writeFile(join(account, 'token'), 'token');
    await writeFile(join(account, 'ca.crt'), '');
    const config = (data['prometheus.yml'] ?? '')
      .replace('/etc/prometheus/rules.yml', join(work, 'rules.yml'))
      .replaceAll('/var/run/secrets/kubernetes.io/serviceaccount', account);
    await writeFile(join(work, 'prometheus.yml'), config);
    const output = await promtoolCheck(['config', join(work, 'prometheus.yml')]);
    expect(output).toContain('SUCCESS');
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('scrapes the Pushgateway of the monitoring namespace with honor_labels, and annotated Services', () => {
    const config = parse(configMap('prometheus-config')['prometheus.yml'] ?? '') as {
      scrape_configs: {
        job_name: string;
        honor_labels?: boolean;
        static_configs?: { targets: string[] }[];
      }[];
    };
    const push = config.scrape_configs.find((s) => s.job_name === 'pushgateway');
    expect(push?.honor_labels).toBe(true);
    expect(push?.static_configs?.[0]?.targets).toEqual(['pushgateway.demo-mon.svc:9091']);
    expect(config.scrape_configs.map((s) => s.job_name)).toEqual(
      expect.arrayContaining([
        'kubernetes-apiservers',
        'kubernetes-nodes',
        'kubernetes-cadvisor',
        'kubernetes-service-endpoints',
      ]),
    );
  });

  it('has rules that pass promtool check rules and use only metrics the stack produces', async () => {
    await writeFile(join(work, 'rules-only.yml'), configMap('prometheus-config')['rules.yml'] ?? '');
    expect(await promtoolCheck(['rules', join(work, 'rules-only.yml')])).toContain('SUCCESS');
    const produced = await producedMetrics();
    for (const rule of rules()) {
      for (const name of metricNames(rule.expr))
        expect(produced, `${rule.record ?? rule.alert}: ${name}`).toContain(name);
    }
  });
});

describe('Grafana dashboards', () => {
  it('are provisioned from every file under dashboards/, against the provisioned Prometheus datasource', async () => {
    const files = (await readdir(join(packageRoot, 'dashboards'))).filter((f) => f.endsWith('.json')).sort();
    expect(Object.keys(configMap('grafana-dashboards')).sort()).toEqual(files);
    const datasources = parse(configMap('grafana-provisioning')['datasources.yaml'] ?? '') as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources[0]?.url).toBe('http://prometheus.demo-mon.svc:9090');
    const uid = datasources.datasources[0]?.uid;
    const uids = new Set<string>();
    for (const board of dashboards()) {
      expect(uids.has(board.uid), `duplicate dashboard uid ${board.uid}`).toBe(false);
      uids.add(board.uid);
      for (const panel of board.panels) {
        expect(panel.datasource.uid, `${board.title}: ${panel.title}`).toBe(uid);
        expect(panel.targets.length).toBeGreaterThan(0);
      }
    }
    expect(uids.size).toBeGreaterThanOrEqual(4);
  });

  it('have queries that promtool parses', async () => {
    const queries = dashboards().flatMap((b) => b.panels.flatMap((p) => p.targets.map((t) => t.expr)));
    const file = join(work, 'dashboard-queries.yml');
    const groups = [
      {
        name: 'dashboards',
        rules: queries.map((expr, i) => ({
          record: `dashboard:query_${i}`,
          expr: withoutGrafanaVariables(expr),
        })),
      },
    ];
    await writeFile(file, stringify({ groups }));
    expect(await promtoolCheck(['rules', file])).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it('query only metrics the stack produces', async () => {
    const produced = await producedMetrics();
    const unknown: string[] = [];
    for (const board of dashboards()) {
      for (const panel of board.panels) {
        for (const target of panel.targets) {
          for (const name of metricNames(target.expr))
            if (!produced.has(name)) unknown.push(`${board.title} / ${panel.title}: ${name}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('cover the demo: load, autoscaling, priority classes, BOINC, MongoDB and nodes', () => {
    const queries = dashboards()
      .flatMap((b) => b.panels.flatMap((p) => p.targets.map((t) => t.expr)))
      .join('\n');
    for (const needle of [
      'cncfdemo_http_sent_requests_total',
      'cncfdemo_http_request_duration_seconds_bucket',
      'kube_horizontalpodautoscaler_status_current_replicas{horizontalpodautoscaler="countly-api"}',
      'priority_class',
      'container="boinc"',
      'mongodb_op_counters_total',
      'node_cpu_seconds_total',
    ]) {
      expect(queries).toContain(needle);
    }
  });
});

describe('the list of produced metrics', () => {
  it('names what the load generators really push (manifests/bench)', async () => {
    const dir = join(packageRoot, 'manifests', 'bench');
    const scripts = (await readdir(dir)).filter((f) => f.endsWith('.lua'));
    expect(scripts.length).toBeGreaterThan(0);
    const written = new Set<string>();
    for (const script of scripts) {
      for (const m of (await readFile(join(dir, script), 'utf8')).matchAll(
        /metric\("([a-zA-Z_:][a-zA-Z0-9_:]*)"/g,
      )) {
        written.add(m[1] ?? '');
      }
    }
    const doc = parse(
      await readFile(join(packageRoot, 'manifests/addons/prometheus/metrics.yaml'), 'utf8'),
    ) as {
      sources: { loadGenerators: MetricSource };
    };
    const listed = Object.values(doc.sources.loadGenerators).flat() as string[];
    expect(listed.filter((n) => !written.has(n))).toEqual([]);
  });

  it('finds metric names in PromQL and nothing else', () => {
    expect(
      metricNames(
        'sum by (le, run) (rate(a_total{job="x", le=~"0.5|1"}[5m] offset 1h)) / on (run) group_left (kind) b:rec * 1e3 > bool 0.5',
      ),
    ).toEqual(['a_total', 'b:rec']);
    expect(metricNames('histogram_quantile(0.99, sum by (le) (h_bucket))')).toEqual(['h_bucket']);
  });
});
