import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import type { KubeObject } from '../kube/types.js';
import type { Values } from '../templates/index.js';
import { COMPONENT, MANAGED_BY } from './labels.js';
import { planObjects, planStack, type ClusterFacts, type StackPlan, type StackSources } from './plan.js';
import { parseStackRecord, STACK_RECORD_NAME } from './record.js';
import { planYaml } from './render.js';
import { readStackSources } from './sources.js';
import {
  readUserValues,
  readValuesSources,
  resolveValues,
  type StackValues,
  type ValuesSources,
} from './values.js';

let sources: StackSources;
let valuesSources: ValuesSources;
let offline: StackValues;
beforeAll(async () => {
  [sources, valuesSources] = await Promise.all([readStackSources(), readValuesSources()]);
  const profile = join(packageRoot, 'manifests', 'profiles', 'offline.yaml');
  offline = resolveValues(valuesSources, await readUserValues({ valuesFiles: [profile] }));
});

function plan(
  values: Values = {},
  options: { facts?: ClusterFacts; boincAccountKey?: string } = {},
): StackPlan {
  return planStack(sources, { values: resolveValues(valuesSources, [values]), ...options });
}

const find = (p: StackPlan, kind: string, name: string): KubeObject | undefined =>
  planObjects(p).find((o) => o.kind === kind && o.metadata.name === name);

const podSpec = (obj: KubeObject | undefined): Record<string, unknown> =>
  (obj?.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec ?? {};

const workloads = (p: StackPlan): KubeObject[] =>
  planObjects(p).filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind));

describe('stack plan', () => {
  it('orders components so that each comes after everything it needs', () => {
    const p = plan();
    const wave = new Map(p.components.map((c) => [c.name, c.wave]));
    for (const c of p.components) for (const need of c.needs) expect(wave.get(need)).toBeLessThan(c.wave);
    expect(p.waves[0]).toEqual(['foundation']);
    expect(p.waves[1]).toEqual(
      expect.arrayContaining([
        'prometheus',
        'pushgateway',
        'grafana',
        'mongo-config',
        'mongo-shards',
        'countly-config',
      ]),
    );
    const order = p.components.map((c) => c.name);
    expect(order.indexOf('mongo-config-init')).toBeLessThan(order.indexOf('mongos'));
    expect(order.indexOf('mongos')).toBeLessThan(order.indexOf('mongo-add-shards'));
    expect(order.indexOf('mongo-shards-init')).toBeLessThan(order.indexOf('mongo-add-shards'));
    expect(order.indexOf('mongo-add-shards')).toBeLessThan(order.indexOf('countly-api'));
    expect(order.at(-1)).toBe('boinc');
  });

  it('gates each component on its workloads only', () => {
    const p = plan();
    const gates = (name: string) =>
      p.components.find((c) => c.name === name)?.gates.map((g) => `${g.kind}/${g.name}`);
    expect(gates('mongo-shards')).toEqual(['StatefulSet/mongo-shard-0', 'StatefulSet/mongo-shard-1']);
    expect(gates('countly-api')).toEqual(['Deployment/countly-api']);
    expect(gates('countly-config')).toEqual([]);
    // background work never holds up the stack: its pods run only where there is room
    expect(gates('boinc')).toEqual([]);
    expect(gates('mongo-config-init')?.[0]).toMatch(/^Job\/mongo-config-init-[0-9a-f]{6}$/);
  });

  it('labels every object, pod template and claim template as the stack component it belongs to', () => {
    const p = plan({ storage: { persistent: true } });
    for (const c of p.components) {
      for (const obj of c.objects) {
        expect(obj.metadata.labels?.[MANAGED_BY], `${obj.kind}/${obj.metadata.name}`).toBe('cncfdemo');
        expect(obj.metadata.labels?.[COMPONENT]).toBe(c.name);
      }
    }
    for (const w of workloads(p)) {
      const labels = (w.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      expect(labels[MANAGED_BY]).toBe('cncfdemo');
    }
    const claims = (find(p, 'StatefulSet', 'mongo-shard-1')?.spec as { volumeClaimTemplates: KubeObject[] })
      .volumeClaimTemplates;
    expect(claims[0]?.metadata.labels?.[MANAGED_BY]).toBe('cncfdemo');
  });

  it('puts every namespaced object in one of the stack namespaces from the values', () => {
    const p = plan({ namespaces: { stack: 'demo-a1', monitoring: 'demo-a1-mon' } });
    expect(p.namespaces.owned).toEqual(['demo-a1', 'demo-a1-mon']);
    const namespaces = planObjects(p)
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name);
    expect(namespaces).toEqual(['demo-a1', 'demo-a1-mon']);
    for (const obj of planObjects(p)) {
      if (obj.metadata.namespace) expect(['demo-a1', 'demo-a1-mon']).toContain(obj.metadata.namespace);
    }
    expect(JSON.stringify(planObjects(p))).not.toContain('cncfdemo-monitoring');
  });

  it('uses but never owns a system namespace', () => {
    const p = plan({ namespaces: { stack: 'default' } });
    expect(p.namespaces.owned).toEqual(['cncfdemo-monitoring']);
    expect(find(p, 'Namespace', 'default')).toBeUndefined();
    expect(find(p, 'Deployment', 'mongos')?.metadata.namespace).toBe('default');
  });

  it('builds the sharded cluster from the values: config servers, shards, members', () => {
    const p = plan({ mongo: { shards: 3, shardMembers: 5, configServers: 1 } });
    const shards = planObjects(p).filter(
      (o) => o.kind === 'StatefulSet' && o.metadata.name?.startsWith('mongo-shard-'),
    );
    expect(shards.map((s) => (s.spec as { replicas: number }).replicas)).toEqual([5, 5, 5]);
    expect((find(p, 'StatefulSet', 'mongo-config')?.spec as { replicas: number }).replicas).toBe(1);
    const mongos = JSON.stringify(find(p, 'Deployment', 'mongos'));
    expect(mongos).toContain('--configdb=cfg/mongo-config-0.mongo-config.cncfdemo.svc:27017');
    const addShards = planObjects(p).find(
      (o) => o.kind === 'Job' && o.metadata.name?.startsWith('mongo-add-shards-'),
    );
    const env = JSON.stringify(podSpec(addShards).containers);
    expect(env).toContain('shard-2/mongo-shard-2-0.mongo-shard-2.cncfdemo.svc:27017');
    const inits = planObjects(p).filter(
      (o) => o.kind === 'Job' && /^mongo-shard-\d-init-/.test(o.metadata.name ?? ''),
    );
    expect(inits).toHaveLength(3);
  });

  it('names Jobs by their content: stable across plans, new when the Job changes', () => {
    const jobs = (p: StackPlan) =>
      workloads(p)
        .filter((o) => o.kind === 'Job')
        .map((o) => o.metadata.name);
    expect(jobs(plan())).toEqual(jobs(plan()));
    const changed = jobs(plan({ mongo: { image: 'mongo:8.0.9' } }));
    expect(changed).toHaveLength(jobs(plan()).length);
    for (const name of changed) expect(jobs(plan())).not.toContain(name);
  });

  it('is deterministic', () => {
    expect(plan({ domain: 'x.example.com' })).toEqual(plan({ domain: 'x.example.com' }));
  });

  it('publishes Countly and Grafana through Ingresses only when a domain is given', () => {
    expect(plan().components.map((c) => c.name)).not.toContain('countly-ingress');
    expect(planObjects(plan()).filter((o) => o.kind === 'Ingress')).toEqual([]);
    const p = plan({ domain: 'demo.example.com', ingressClassName: 'nginx' });
    const ingress = find(p, 'Ingress', 'countly');
    expect(JSON.stringify(ingress)).toContain('"host":"countly.demo.example.com"');
    expect((ingress?.spec as { ingressClassName: string }).ingressClassName).toBe('nginx');
    expect(JSON.stringify(find(p, 'Ingress', 'grafana'))).toContain('grafana.demo.example.com');
  });

  it('exposes Countly with the chosen Service type', () => {
    const p = plan({ countly: { serviceType: 'NodePort' } });
    expect((find(p, 'Service', 'countly-api')?.spec as { type: string }).type).toBe('NodePort');
    expect((find(p, 'Service', 'countly-dashboard')?.spec as { type: string }).type).toBe('NodePort');
  });

  it('leaves the API replica count to the autoscaler when autoscaling is on', () => {
    const auto = plan({ countly: { autoscaling: { minReplicas: 3, maxReplicas: 7 } } });
    expect(find(auto, 'Deployment', 'countly-api')?.spec).not.toHaveProperty('replicas');
    expect(find(auto, 'HorizontalPodAutoscaler', 'countly-api')?.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 7,
    });
    const seeds = auto.components.find((c) => c.name === 'countly-api')?.seeds ?? [];
    expect(seeds.map((o) => [o.kind, o.metadata.name, (o.spec as { replicas?: number }).replicas])).toEqual([
      ['Deployment', 'countly-api', 3],
    ]);
    const fixed = plan({ countly: { autoscaling: { enabled: false }, replicas: 4 } });
    expect(fixed.components.flatMap((c) => c.seeds)).toEqual([]);
    expect(find(fixed, 'Deployment', 'countly-api')?.spec).toMatchObject({ replicas: 4 });
    expect(find(fixed, 'HorizontalPodAutoscaler', 'countly-api')).toBeUndefined();
  });

  it('gives Countly its config files as a ConfigMap, mounted, and rolls pods when they change', () => {
    const p = plan();
    const config = find(p, 'ConfigMap', 'countly-config');
    expect(Object.keys(config?.data as object)).toEqual(['api.js', 'frontend.js']);
    expect((config?.data as Record<string, string>)['api.js']).toContain('host: "mongos"');
    const api = find(p, 'Deployment', 'countly-api');
    expect(JSON.stringify(podSpec(api))).toContain('"subPath":"api.js"');
    const hash = (s: StackSources) =>
      (
        find(planStack(s, { values: resolveValues(valuesSources, []) }), 'Deployment', 'countly-api')
          ?.spec as {
          template: { metadata: { annotations: Record<string, string> } };
        }
      ).template.metadata.annotations['cncfdemo.io/config-hash'];
    const files = sources.configFolders.get('apps/countly/config') ?? [];
    const edited: StackSources = {
      ...sources,
      configFolders: new Map([
        ...sources.configFolders,
        [
          'apps/countly/config',
          files.map((f) => ({ ...f, content: Buffer.concat([f.content, Buffer.from('\n')]) })),
        ],
      ]),
    };
    expect(hash(edited)).not.toBe(hash(sources));
  });

  it('applies the MongoDB chain at once: each step waits for the one before it inside the cluster', () => {
    const p = plan();
    const of = (name: string) => p.components.find((c) => c.name === name);
    expect(of('mongos')?.after).toEqual(['mongo-config-init']);
    expect(of('countly-api')?.after).toEqual(['mongo-add-shards']);
    // mongos starts once the config replica set has a primary
    const init = podSpec(find(p, 'Deployment', 'mongos')).initContainers as {
      name: string;
      command: string[];
    }[];
    expect(init[0]?.name).toBe('wait-for-config-servers');
    expect(init[0]?.command.join(' ')).toMatch(
      /mongo-config-0\.mongo-config\.cncfdemo\.svc:27017,.*replicaSet=cfg&serverSelectionTimeoutMS=300000/,
    );
    // the init Jobs wait for their servers as long as the init containers do
    const job = podSpec(
      planObjects(p).find((o) => o.kind === 'Job' && o.metadata.name?.startsWith('mongo-add-shards-')),
    ).containers as { env: { name: string; value: string }[] }[];
    expect(job[0]?.env).toContainEqual({ name: 'WAIT_MS', value: '300000' });
  });

  it('blocks Countly pods until mongos answers and has every shard, with an init container', () => {
    for (const name of ['countly-api', 'countly-dashboard']) {
      const init = podSpec(find(plan(), 'Deployment', name)).initContainers as {
        name: string;
        command: string[];
      }[];
      expect(init[0]?.name).toBe('wait-for-mongos');
      expect(init[0]?.command.join(' ')).toContain('mongodb://mongos.cncfdemo.svc:27017');
      expect(init[0]?.command.join(' ')).toContain('listShards: 1 }).shards.length < 2)');
    }
  });

  it('runs the foreground above the per-node agents, and both above BOINC, which never preempts', () => {
    const p = plan();
    const classes = planObjects(p).filter((o) => o.kind === 'PriorityClass');
    const value = (name: string) =>
      (classes.find((c) => c.metadata.name === name) as { value?: number } | undefined)?.value;
    expect(value('cncfdemo-foreground')).toBeGreaterThan(0);
    expect(value('cncfdemo-background')).toBeLessThan(0);
    expect(value('cncfdemo-node-agents')).toBeLessThan(value('cncfdemo-foreground') ?? 0);
    expect(value('cncfdemo-node-agents')).toBeGreaterThan(0);
    expect(classes.find((c) => c.metadata.name === 'cncfdemo-background')).toMatchObject({
      preemptionPolicy: 'Never',
    });
    for (const w of workloads(p)) {
      const expected =
        w.metadata.name === 'boinc'
          ? 'cncfdemo-background'
          : w.kind === 'DaemonSet'
            ? 'cncfdemo-node-agents'
            : 'cncfdemo-foreground';
      expect(podSpec(w).priorityClassName, `${w.kind}/${w.metadata.name}`).toBe(expected);
    }
  });

  it('attaches BOINC only with an account key, which stays out of the rendered YAML', () => {
    const unattached = plan();
    expect(unattached.boinc.attached).toBe(false);
    expect(find(unattached, 'Secret', 'boinc-attach')).toBeUndefined();
    expect(unattached.notes.join(' ')).toContain('BOINC runs unattached');
    const key = 'acct-0123456789abcdef';
    const attached = plan({}, { boincAccountKey: key });
    expect(attached.boinc.attached).toBe(true);
    const secret = find(attached, 'Secret', 'boinc-attach');
    expect(secret?.stringData).toEqual({
      'account_cncfdemo.xml':
        '<account>\n    <master_url>https://www.worldcommunitygrid.org/</master_url>\n' +
        `    <authenticator>${key}</authenticator>\n</account>\n`,
    });
    expect(planYaml(attached)).not.toContain(key);
    // the key reaches the client as a file in its data directory, never as an argument or a variable
    const pod = podSpec(find(attached, 'Deployment', 'boinc')) as {
      volumes?: unknown[];
      containers: {
        volumeMounts?: unknown[];
        env?: unknown;
        envFrom?: unknown;
        args?: unknown;
        command?: unknown;
      }[];
    };
    const container = pod.containers[0];
    expect(container?.volumeMounts).toContainEqual({
      name: 'attach',
      mountPath: '/var/lib/boinc/account_cncfdemo.xml',
      subPath: 'account_cncfdemo.xml',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({ name: 'attach', secret: { secretName: 'boinc-attach' } });
    expect(
      JSON.stringify([container?.env, container?.envFrom, container?.args, container?.command]),
    ).not.toContain('boinc-attach');
    expect(JSON.stringify(podSpec(find(unattached, 'Deployment', 'boinc')))).not.toContain('boinc-attach');
    expect(
      plan({ boinc: { enabled: false } }, { boincAccountKey: key }).components.map((c) => c.name),
    ).not.toContain('boinc');
  });

  it('generates Grafana and Countly secrets at start instead of rendering them', () => {
    const p = plan();
    const secrets = p.components.flatMap((c) => c.secrets);
    expect(secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'cncfdemo-monitoring/grafana-admin',
      'cncfdemo/countly-secrets',
    ]);
    expect(secrets[0]).toMatchObject({ literals: { 'admin-user': 'admin' }, generate: ['admin-password'] });
    expect(planObjects(p).filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(planYaml(p)).toContain('# Not rendered: Secret cncfdemo-monitoring/grafana-admin');
  });

  describe('storage', () => {
    const claims = (p: StackPlan) =>
      (find(p, 'StatefulSet', 'mongo-config')?.spec as { volumeClaimTemplates?: unknown[] })
        .volumeClaimTemplates;

    it('uses claims when the cluster has a default StorageClass', () => {
      const p = plan({}, { facts: { storageClasses: ['standard'], defaultStorageClass: 'standard' } });
      expect(p.storage).toEqual({ persistent: true });
      expect(claims(p)).toHaveLength(1);
    });

    it('falls back to emptyDir, and says so, when the cluster has no StorageClass', () => {
      const p = plan({}, { facts: { storageClasses: [] } });
      expect(p.storage.persistent).toBe(false);
      expect(claims(p)).toBeUndefined();
      expect(JSON.stringify(podSpec(find(p, 'StatefulSet', 'mongo-config')).volumes)).toContain('emptyDir');
      expect(p.notes.join(' ')).toContain('ephemeral');
    });

    it('assumes persistent storage when rendering without a cluster', () => {
      expect(plan().storage.persistent).toBe(true);
    });

    it('rejects a StorageClass the cluster does not have', () => {
      expect(() =>
        plan({ storage: { className: 'gold' } }, { facts: { storageClasses: ['standard'] } }),
      ).toThrow(UserError);
      expect(() =>
        plan({ storage: { className: 'gold' } }, { facts: { storageClasses: ['standard'] } }),
      ).toThrow(/storage.className "gold" is not a StorageClass of this cluster \(it has: standard\)/);
    });

    it('asks for the named class and size', () => {
      const p = plan(
        { storage: { className: 'fast' }, mongo: { storageSize: '5Gi' } },
        { facts: { storageClasses: ['fast'] } },
      );
      expect(claims(p)?.[0]).toMatchObject({
        spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } },
      });
    });
  });

  it('merges the placement into every pod spec', () => {
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'demo', effect: 'NoSchedule' };
    const p = plan({ placement: { nodeSelector: { pool: 'demo' }, tolerations: [toleration] } });
    for (const w of workloads(p)) {
      expect(podSpec(w).nodeSelector, `${w.kind}/${w.metadata.name}`).toEqual({ pool: 'demo' });
      expect(podSpec(w).tolerations).toContainEqual(toleration);
    }
    // node-exporter keeps its own toleration of every taint
    expect(podSpec(find(p, 'DaemonSet', 'node-exporter')).tolerations).toContainEqual({ operator: 'Exists' });
  });

  describe('with the offline profile', () => {
    const offlinePlan = (): StackPlan => planStack(sources, { values: offline });

    it('leaves out Grafana, MongoDB, the dashboard and (without a domain) the Ingress, saying why', () => {
      const p = offlinePlan();
      const mongo = [
        'mongo-scripts',
        'mongo-config',
        'mongo-shards',
        'mongo-config-init',
        'mongo-shards-init',
        'mongos',
        'mongo-add-shards',
      ];
      expect(p.leftOut).toEqual([
        { name: 'grafana', when: 'monitoring.grafana.enabled' },
        ...mongo.map((name) => ({ name, when: 'mongo.enabled' })),
        { name: 'countly-dashboard', when: 'countly.dashboardEnabled' },
        { name: 'countly-ingress', when: 'domain' },
      ]);
      const planned = p.components.map((c) => c.name);
      for (const { name } of p.leftOut) expect(planned).not.toContain(name);
      expect(planned).toContain('countly-api');
      // countly-api comes after mongo-add-shards, which is left out: it no longer waits for it
      const api = p.components.find((c) => c.name === 'countly-api');
      expect([api?.needs, api?.after]).toEqual([['countly-config'], []]);
    });

    it('runs the ingest server as countly-api: no MongoDB to wait for, same port, probes and autoscaler', () => {
      const p = offlinePlan();
      const spec = podSpec(find(p, 'Deployment', 'countly-api')) as {
        initContainers?: unknown;
        containers: {
          image: string;
          env?: unknown;
          startupProbe?: unknown;
          readinessProbe?: unknown;
          livenessProbe?: unknown;
        }[];
      };
      expect(spec.initContainers).toBeUndefined();
      const container = spec.containers[0];
      expect(container?.image).toBe(offline.countly.apiImage);
      expect(container?.env).toEqual([{ name: 'PORT', value: '3001' }]);
      for (const probe of [container?.startupProbe, container?.readinessProbe, container?.livenessProbe]) {
        expect(probe).toMatchObject({ httpGet: { path: '/o/ping', port: 'http' } });
      }
      expect(find(p, 'HorizontalPodAutoscaler', 'countly-api')?.spec).toMatchObject({
        minReplicas: 2,
        maxReplicas: 6,
      });
      expect(JSON.stringify(find(p, 'Deployment', 'countly-api'))).not.toContain('mongos');
    });

    it('keeps the values and what they left out in the foundation, readable back', () => {
      const p = offlinePlan();
      const foundation = p.components.find((c) => c.name === 'foundation');
      const cm = foundation?.objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === STACK_RECORD_NAME,
      );
      expect(cm?.metadata.namespace).toBe('cncfdemo');
      expect(cm?.metadata.labels?.[COMPONENT]).toBe('foundation');
      const record = cm && parseStackRecord(cm);
      expect(record?.values).toEqual(offline);
      expect(record?.leftOut).toEqual(p.leftOut);
    });

    it('still waits for mongos with the default values', () => {
      const init = podSpec(find(plan(), 'Deployment', 'countly-api')).initContainers as { name: string }[];
      expect(init.map((c) => c.name)).toEqual(['wait-for-mongos']);
      expect(plan().leftOut).toEqual([{ name: 'countly-ingress', when: 'domain' }]);
    });
  });
});
