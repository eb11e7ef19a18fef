import { describe, expect, it } from 'vitest';
import type {
  ClusterNode,
  ClusterReader,
  DeploymentRollout,
  ProbeSpec,
} from '../../../src/doctor/cluster/reader.js';
import { findTagConflicts, type SecurityGroupInfo } from '../../../src/aws/security-groups.js';
import { taggedClusters } from '../../../src/aws/tags.js';
import { loadDoctorData } from '../../../src/doctor/data.js';
import { CHECKS } from '../../../src/doctor/registry.js';
import { runChecks } from '../../../src/doctor/run.js';
import type { Check, CheckNeed, ClusterCheck, ClusterContext } from '../../../src/doctor/types.js';

const data = await loadDoctorData();
const needsOf = (c: Check): readonly CheckNeed[] => c.needs;
const check = (id: string): ClusterCheck => {
  const c = CHECKS.find((x) => x.id === id);
  if (c?.scope !== 'cluster') throw new Error(`no cluster check ${id}`);
  return c;
};

/** An in-memory cluster: the checks' decision logic, without a server (the adapter is tested in integration). */
function cluster(
  nodes: ClusterNode[],
  deployments: DeploymentRollout[] = [],
  probe = { succeeded: true, detail: 'Job completed', logs: 'Name: kubernetes' },
) {
  const probes: ProbeSpec[] = [];
  const reader: ClusterReader = {
    description: 'context "test"',
    serverVersion: () => Promise.resolve('v1.34.1'),
    listNodes: () => Promise.resolve(nodes),
    getDeployment: (ns, name) =>
      Promise.resolve(deployments.find((d) => d.namespace === ns && d.name === name)),
    runProbe: (spec) => {
      probes.push(spec);
      return Promise.resolve(probe);
    },
  };
  const ctx: ClusterContext = { cluster: reader, aws: { env: {} }, data, probeImage: 'busybox:test' };
  return { ctx, probes };
}

const node = (name: string, over: Partial<ClusterNode> = {}): ClusterNode => ({
  name,
  ready: true,
  simulated: false,
  ...over,
});
const coredns = (over: Partial<DeploymentRollout> = {}): DeploymentRollout => ({
  name: 'coredns',
  namespace: 'kube-system',
  desired: 2,
  updated: 2,
  ready: 2,
  available: 2,
  observed: true,
  ...over,
});

describe('cluster checks', () => {
  it('nodes-ready lists NotReady nodes with the reason', async () => {
    const { ctx } = cluster([
      node('a'),
      node('b', { ready: false, readyDetail: 'KubeletNotReady container runtime network not ready' }),
    ]);
    const r = await check('nodes-ready').run(ctx);
    expect(r.status).toBe('FAIL');
    expect(r.evidence).toContain('b: NotReady (KubeletNotReady container runtime network not ready)');
  });

  it('dns-addon: SKIP without one, PASS rolled out, FAIL when replicas are missing', async () => {
    expect((await check('dns-addon').run(cluster([node('a')]).ctx)).status).toBe('SKIP');
    expect((await check('dns-addon').run(cluster([node('a')], [coredns()]).ctx)).status).toBe('PASS');
    const partial = await check('dns-addon').run(
      cluster([node('a')], [coredns({ ready: 1, available: 1 })]).ctx,
    );
    expect(partial.status).toBe('FAIL');
    expect(partial.evidence[0]).toBe('kube-system/coredns: 1/2 ready, 2 updated, 1 available');
  });

  it('probes SKIP on simulated nodes without running anything', async () => {
    const { ctx, probes } = cluster([node('kwok-0', { simulated: true })], [coredns()]);
    for (const id of ['dns-resolution', 'service-routing']) {
      const r = await check(id).run(ctx);
      expect(r.status).toBe('SKIP');
      expect(r.evidence[0]).toMatch(/simulated by kwok/);
    }
    expect(probes).toHaveLength(0);
  });

  it('probes run on real nodes and report the outcome', async () => {
    const ok = cluster([node('n1')], [coredns()]);
    expect((await check('dns-resolution').run(ok.ctx)).status).toBe('PASS');
    expect(ok.probes[0]?.script).toMatch(/nslookup kubernetes.default/);
    const broken = cluster([node('n1')], [coredns()], {
      succeeded: false,
      detail: 'Job failed: BackoffLimitExceeded',
      logs: 'wget: download timed out',
    });
    const r = await check('service-routing').run(broken.ctx);
    expect(r.status).toBe('FAIL');
    expect(broken.probes[0]?.service?.port).toBe(8080);
    expect(r.evidence.join('\n')).toMatch(/wget: download timed out/);
  });

  it('api-server FAILs with the reason when no cluster could be loaded', async () => {
    const report = await runChecks({
      checks: [check('api-server')],
      cluster: {
        aws: { env: {} },
        data,
        probeImage: 'busybox:test',
        clusterUnavailable: 'no kubeconfig found',
      },
    });
    expect(report.checks[0]).toMatchObject({ status: 'FAIL', evidence: ['no kubeconfig found'] });
    expect(report.checks[0]?.remediation).toMatch(/kubeconfig context/);
  });
});

describe('check needs (kube, aws, root)', () => {
  const noCluster: ClusterContext = { aws: { env: {} }, data, probeImage: 'busybox:test' };

  it('declares for every check what it needs: node checks a root filesystem, cluster checks kube or aws', () => {
    for (const c of CHECKS) {
      expect(c.needs.length, c.id).toBeGreaterThan(0);
      expect(needsOf(c).includes('root'), c.id).toBe(c.scope === 'node');
    }
    expect(CHECKS.filter((c) => needsOf(c).includes('aws')).map((c) => c.id)).toEqual([
      'aws-security-groups',
    ]);
  });

  it('skips the checks whose needs are unmet, saying which and why, and runs the others', async () => {
    const { ctx } = cluster([node('n1')]);
    const report = await runChecks({
      checks: [check('nodes-ready'), check('dns-resolution'), check('aws-security-groups')],
      cluster: { ...noCluster, clusterUnavailable: 'context "gone" not found' },
    });
    expect(report.checks.map((c) => [c.id, c.status, c.evidence[0]])).toEqual([
      ['nodes-ready', 'SKIP', 'needs kube: context "gone" not found'],
      ['dns-resolution', 'SKIP', 'needs kube: context "gone" not found'],
      [
        'aws-security-groups',
        'SKIP',
        'needs aws: no AWS region configured (--aws-region, AWS_REGION or AWS_DEFAULT_REGION): not an AWS cluster',
      ],
    ]);
    const withKube = await runChecks({ checks: [check('nodes-ready')], cluster: ctx });
    expect(withKube.checks[0]?.status).toBe('PASS');
  });

  it('meets the aws need from the env and hands the check the region', async () => {
    // An endpoint nothing listens on: the check runs (no SKIP) and fails to reach EC2 there.
    const report = await runChecks({
      checks: [check('aws-security-groups')],
      cluster: {
        ...noCluster,
        aws: {
          env: { AWS_DEFAULT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
          endpoint: 'http://127.0.0.1:9',
        },
      },
    });
    expect(report.checks[0]?.status).toBe('FAIL');
    expect(report.checks[0]?.evidence[0]).toMatch(
      /^EC2 API in region eu-west-1 at http:\/\/127\.0\.0\.1:9: /,
    );
  });

  it('skips a node check when the run has no root filesystem', async () => {
    const swap = CHECKS.find((c) => c.id === 'swap');
    if (!swap) throw new Error('no swap check');
    const report = await runChecks({ checks: [swap], cluster: noCluster });
    expect(report.checks[0]).toMatchObject({
      status: 'SKIP',
      evidence: [expect.stringMatching(/^needs root: /)],
    });
  });
});

describe('AWS tag conflicts', () => {
  const groups = new Map<string, SecurityGroupInfo>([
    ['sg-master', { id: 'sg-master', name: 'k8s-master', tags: { KubernetesCluster: 'demo' } }],
    ['sg-minion', { id: 'sg-minion', name: 'k8s-minion', tags: { 'kubernetes.io/cluster/demo': 'owned' } }],
    ['sg-other', { id: 'sg-other', name: 'other', tags: { KubernetesCluster: 'other' } }],
    ['sg-plain', { id: 'sg-plain', name: 'ssh', tags: {} }],
  ]);

  it('reads both tag styles', () => {
    expect([
      ...taggedClusters({ KubernetesCluster: 'a', 'kubernetes.io/cluster/b': 'shared', Name: 'x' }),
    ]).toEqual([
      ['a', 'KubernetesCluster=a'],
      ['b', 'kubernetes.io/cluster/b=shared'],
    ]);
  });

  it('flags an instance with two groups tagged for the same cluster, in either style', () => {
    const conflicts = findTagConflicts(
      [
        { instanceId: 'i-1', groupIds: ['sg-master', 'sg-minion', 'sg-plain'] },
        { instanceId: 'i-2', groupIds: ['sg-minion', 'sg-other', 'sg-plain'] },
        { instanceId: 'i-3', groupIds: ['sg-minion', 'sg-minion'] },
      ],
      groups,
    );
    expect(conflicts).toEqual([
      {
        instanceId: 'i-1',
        cluster: 'demo',
        groups: [
          { id: 'sg-master', name: 'k8s-master', tag: 'KubernetesCluster=demo' },
          { id: 'sg-minion', name: 'k8s-minion', tag: 'kubernetes.io/cluster/demo=owned' },
        ],
      },
    ]);
    expect(
      findTagConflicts([{ instanceId: 'i-1', groupIds: ['sg-master', 'sg-minion'] }], groups, 'other'),
    ).toEqual([]);
  });
});
