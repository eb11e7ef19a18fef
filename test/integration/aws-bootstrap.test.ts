import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateSecurityGroupCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand as CreateClassicLoadBalancerCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { DescribeTagsCommand as DescribeElbTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import {
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-route-53';
import { GetParameterCommand, ListTagsForResourceCommand as ListSsmTagsCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/api/doctor.js';
import { buildRunRecord, recordedMachines } from '../../src/report/record.js';
import { tagRecord } from '../../src/aws/tags.js';
import { exec } from '../../src/exec/index.js';
import { awsClients, type AwsClients } from '../../src/cluster/providers/aws/clients.js';
import { type ClusterResource, clusterResources } from '../../src/cluster/providers/aws/inventory.js';
import { awsNames } from '../../src/cluster/providers/aws/names.js';
import { getProvider } from '../../src/cluster/registry.js';
import { packageRoot } from '../../src/config/paths.js';
import { comparisonText } from '../../src/report/compare.js';
import { loadPriceTable } from '../../src/report/cost.js';
import { runRecordProblems, runRecordValidator } from '../../src/report/validate.js';
import { runCli } from '../helpers/cli.js';
import { type Moto, motoEnv, startMoto } from '../helpers/moto.js';
import { emptyResults } from '../../src/model/run-record.js';

const REGION = 'us-east-1';
let moto: Moto;
let clients: AwsClients;
let home: string;
let env: NodeJS.ProcessEnv;
let publicKey: string;

const bootstrapArgs = (name: string): string[] => [
  'bootstrap',
  'aws',
  '--name',
  name,
  '--region',
  REGION,
  '--masters',
  '1',
  '--nodes',
  '3',
  '--aws-endpoint',
  moto.endpoint,
  '--ssh-public-key',
  publicKey,
  // Instances in moto never boot: nothing would ever answer behind the load balancer.
  '--api-timeout',
  '0',
];

const inventory = (cluster: string): Promise<ClusterResource[]> =>
  clusterResources({ cluster, clients, names: awsNames(cluster) });

const countByType = (resources: readonly ClusterResource[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
};

/** Every resource type a bootstrap creates, with how many of each for 1 master and 3 nodes. */
const EXPECTED = {
  vpc: 1,
  subnet: 2,
  'internet-gateway': 1,
  'route-table': 1,
  'security-group': 2,
  'key-pair': 1,
  'ssm-parameter': 2,
  'iam-role': 2,
  'instance-profile': 2,
  'load-balancer': 1,
  'target-group': 1,
  'launch-template': 2,
  'auto-scaling-group': 2,
  instance: 4,
  'hosted-zone': 1,
};

async function tagsOf(r: ClusterResource): Promise<Record<string, string>> {
  switch (r.type) {
    case 'key-pair':
      return tagRecord(
        (await clients.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [r.id] }))).KeyPairs?.[0]?.Tags,
      );
    case 'auto-scaling-group':
      return tagRecord(
        (await clients.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [r.id] })))
          .AutoScalingGroups?.[0]?.Tags,
      );
    case 'load-balancer':
    case 'foreign-load-balancer':
    case 'target-group':
      return tagRecord(
        (await clients.elb.send(new DescribeElbTagsCommand({ ResourceArns: [r.id] }))).TagDescriptions?.[0]
          ?.Tags,
      );
    case 'iam-role':
      return tagRecord((await clients.iam.send(new ListRoleTagsCommand({ RoleName: r.id }))).Tags);
    case 'instance-profile':
      // moto has no ListInstanceProfileTags; GetInstanceProfile carries the tags too.
      return tagRecord(
        (await clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: r.id }))).InstanceProfile
          ?.Tags,
      );
    case 'ssm-parameter':
      return tagRecord(
        (await clients.ssm.send(new ListSsmTagsCommand({ ResourceType: 'Parameter', ResourceId: r.id })))
          .TagList,
      );
    case 'hosted-zone':
      return tagRecord(
        (
          await clients.route53.send(
            new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: r.id }),
          )
        ).ResourceTagSet?.Tags,
      );
    default:
      return tagRecord(
        (
          await clients.ec2.send(
            new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [r.id] }] }),
          )
        ).Tags,
      );
  }
}

/** The user-data's cloud-config part, out of its MIME envelope. */
function cloudConfigPart(userData: string): string {
  const part = userData.split(/^--==cncfdemo-user-data==(?:--)?$/m)[1] ?? '';
  return part.slice(part.indexOf('#cloud-config'));
}

/** Starts `bootstrap` in a process of its own and kills it (-9) once its journal holds `marker`. */
async function bootstrapKilledAt(name: string, marker: string): Promise<void> {
  const journal = join(home, 'clusters', name, 'journal.jsonl');
  const child = spawn(join(packageRoot, 'bin', 'cncfdemo'), bootstrapArgs(name), { env, stdio: 'ignore' });
  for (;;) {
    const text = await readFile(journal, 'utf8').catch(() => '');
    if (text.includes(marker)) break;
    if (child.exitCode !== null) throw new Error(`bootstrap ended (${child.exitCode}) before it was killed`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

beforeAll(async () => {
  moto = await startMoto();
  clients = awsClients({ region: REGION, endpoint: moto.endpoint, env: motoEnv() });
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-aws-'));
  env = motoEnv({ CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') });
  const { publicKey: key } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // OpenSSH's "ssh-rsa" encoding of the key: string type, mpint e, mpint n.
  const jwk = key.export({ format: 'jwk' });
  const mpint = (b64url: string): Buffer => {
    const raw = Buffer.from(b64url, 'base64url');
    const bytes = (raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    return Buffer.concat([len, bytes]);
  };
  const type = Buffer.from('ssh-rsa');
  const typeLen = Buffer.alloc(4);
  typeLen.writeUInt32BE(type.length);
  const blob = Buffer.concat([typeLen, type, mpint(jwk.e ?? ''), mpint(jwk.n ?? '')]);
  publicKey = join(home, 'id_rsa.pub');
  await writeFile(publicKey, `ssh-rsa ${blob.toString('base64')} test@cncfdemo\n`);
}, 120_000);

afterAll(async () => {
  clients.destroy();
  moto.stop();
  await rm(home, { recursive: true, force: true });
});

beforeEach(async () => {
  await moto.reset();
});

describe('bootstrap aws against moto', () => {
  it('creates every resource tagged, converges on a re-run, and delete leaves nothing', async () => {
    const first = await runCli(bootstrapArgs('demo'), env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('cluster "demo" is created');

    const resources = await inventory('demo');
    expect(countByType(resources)).toEqual(EXPECTED);
    for (const r of resources) {
      const tags = await tagsOf(r).catch((err: unknown) => {
        throw new Error(`tags of ${r.type} ${r.id}: ${String(err)}`);
      });
      expect(tags, `${r.type} ${r.id}`).toMatchObject({
        'kubernetes.io/cluster/demo': 'owned',
        'cncfdemo.io/cluster': 'demo',
      });
      expect(['master', 'minion', 'shared'], `${r.type} ${r.id}`).toContain(tags['cncfdemo.io/role']);
    }

    const vpc = resources.find((r) => r.type === 'vpc')?.id;
    const hostnames = await clients.ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableDnsHostnames' }),
    );
    expect(hostnames.EnableDnsHostnames?.Value).toBe(true);

    // User-data per role: IMDSv2, the role file and the drop-ins, valid cloud-config, no secret.
    const token = (
      await clients.ssm.send(
        new GetParameterCommand({ Name: '/cncfdemo/demo/join-token', WithDecryption: true }),
      )
    ).Parameter;
    expect(token?.Type).toBe('SecureString');
    for (const lt of resources.filter((r) => r.type === 'launch-template')) {
      const data = (
        await clients.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.id, Versions: ['$Default'] }),
        )
      ).LaunchTemplateVersions?.[0]?.LaunchTemplateData;
      expect(data?.MetadataOptions?.HttpTokens).toBe('required');
      const userData = Buffer.from(data?.UserData ?? '', 'base64').toString();
      const role = userData.includes('path: /etc/sysconfig/kubernetes-master') ? 'master' : 'minion';
      expect(userData).toContain(`path: /etc/sysconfig/kubernetes-${role}`);
      expect(userData).toContain('path: /etc/systemd/system/cncfdemo-control-plane.service.d/role.conf');
      expect(userData).toContain('path: /etc/systemd/system/cncfdemo-worker.service.d/role.conf');
      expect(userData).not.toContain(token?.Value ?? 'no token');
      const file = join(home, `${lt.id}.yaml`);
      await writeFile(file, cloudConfigPart(userData));
      expect((await exec('cloud-init', ['schema', '--config-file', file])).stdout).toContain(
        'Valid cloud-config',
      );
    }

    // masters.demo.k8s holds the masters' private addresses.
    const masters = (
      await clients.asg.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['cncfdemo-demo-master'] }),
      )
    ).AutoScalingGroups?.[0]?.Instances?.map((i) => i.InstanceId ?? '');
    const addresses = (
      (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: masters }))).Reservations ?? []
    )
      .flatMap((r) => r.Instances ?? [])
      .map((i) => i.PrivateIpAddress)
      .sort();
    const zone = resources.find((r) => r.type === 'hosted-zone')?.id;
    const records = (await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
      .ResourceRecordSets;
    const mastersRecord = records?.find((r) => r.Name === 'masters.demo.k8s.' && r.Type === 'A');
    expect(mastersRecord?.ResourceRecords?.map((r) => r.Value).sort()).toEqual(addresses);
    expect(addresses).toHaveLength(1);

    // doctor's check of the cluster's security-group tags passes.
    const doctor = await runDoctor({
      checks: ['aws-security-groups'],
      awsEndpoint: moto.endpoint,
      awsRegion: REGION,
      awsClusterName: 'demo',
      env,
    });
    expect(doctor.checks[0]?.status, doctor.checks[0]?.evidence.join('\n')).toBe('PASS');

    // Again: nothing is created, nothing changes.
    const journal = join(home, 'clusters', 'demo', 'journal.jsonl');
    const before = (await readFile(journal, 'utf8')).split('\n').filter(Boolean).length;
    const second = await runCli(bootstrapArgs('demo'), env);
    expect(second.code, second.stderr).toBe(0);
    const entries = (await readFile(journal, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .slice(before)
      .map((l) => JSON.parse(l) as { created: boolean; type: string });
    expect(entries.filter((e) => e.created)).toEqual([]);
    expect(await inventory('demo')).toEqual(resources);

    const list = await runCli(['cluster', 'list'], env);
    expect(list.stdout).toMatch(/^demo\s+aws\s+Running\s+cncfdemo-demo$/m);

    // A benchmark on the cluster (here: its run record, from what the cluster's record says) is priced
    // per role from data/prices.yaml, even when the nodes carry no instance-type label.
    const machines = await recordedMachines(home, 'demo');
    expect(machines).toEqual({
      provider: 'aws',
      region: REGION,
      machines: [
        { role: 'master', instanceType: 't3.medium', count: 1 },
        { role: 'minion', instanceType: 't3.large', count: 3 },
      ],
    });
    const prices = await loadPriceTable();
    const start = new Date('2026-01-01T00:00:00Z');
    const run = buildRunRecord({
      id: 'aws-run',
      version: '0.0.0',
      provider: 'unknown',
      cluster: 'cncfdemo-demo',
      kubernetesVersion: null,
      nodes: { count: 4, cpu: null, memory: null, instanceType: null, simulated: false },
      ...machines,
      options: {
        durationSeconds: 3600,
        threads: 1,
        connections: 1,
        rate: null,
        localTarget: null,
        pricePerNodeHour: null,
        saveHtml: false,
      },
      start,
      end: new Date(start.getTime() + 3_600_000),
      events: [],
      results: emptyResults(),
      prices,
    });
    expect(runRecordProblems(run, runRecordValidator())).toEqual([]);
    expect(run.cost.priceSource).toBe('price table');
    const hourly =
      (prices.providers.aws?.['t3.medium'] ?? NaN) + 3 * (prices.providers.aws?.['t3.large'] ?? NaN);
    expect(run.cost.total).toBeCloseTo(hourly, 10);
    expect(comparisonText([run])).toMatch(/^instance type\s+master 1 × t3\.medium, minion 3 × t3\.large$/m);

    const deleted = await runCli(['cluster', 'delete', '--name', 'demo'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await inventory('demo')).toEqual([]);
    expect((await runCli(['cluster', 'list'], env)).stdout).not.toContain('demo');
  });

  it('converges after a kill -9 half-way, and delete then leaves nothing', async () => {
    // Killed once the IAM roles are journalled: the network is there, the instances are not.
    await bootstrapKilledAt('crash', '"iam-role"');
    const partial = countByType(await inventory('crash'));
    expect(partial.vpc).toBe(1);
    expect(partial['auto-scaling-group']).toBeUndefined();

    const again = await runCli(bootstrapArgs('crash'), env);
    expect(again.code, again.stderr).toBe(0);
    expect(countByType(await inventory('crash'))).toEqual(EXPECTED);

    const deleted = await runCli(['cluster', 'delete', '--name', 'crash'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await inventory('crash')).toEqual([]);
  });

  it('publishes countly.<domain> in the public zone for start --domain; stop and delete remove it', async () => {
    expect((await runCli(bootstrapArgs('web'), env)).code).toBe(0);
    const zone = (
      await clients.route53.send(
        new CreateHostedZoneCommand({ Name: 'example.test', CallerReference: 'test-zone' }),
      )
    ).HostedZone?.Id;
    const provider = await getProvider('aws', { home, env });
    const countly = async () =>
      (
        (await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
          .ResourceRecordSets ?? []
      )
        .filter((r) => r.Name === 'countly.example.test.')
        .map((r) => `${r.Type ?? ''} ${r.ResourceRecords?.[0]?.Value ?? ''}`);

    await provider.publishHostname?.(
      'web',
      'countly.example.test',
      'k8s-countly-0123.elb.us-east-1.amazonaws.com',
    );
    expect(await countly()).toEqual(['CNAME k8s-countly-0123.elb.us-east-1.amazonaws.com']);
    await provider.unpublishHostnames?.('web');
    expect(await countly()).toEqual([]);

    await provider.publishHostname?.('web', 'countly.example.test', '198.51.100.7');
    expect(await countly()).toEqual(['A 198.51.100.7']);
    expect((await runCli(['cluster', 'delete', '--name', 'web'], env)).code).toBe(0);
    expect(await countly()).toEqual([]);
    expect(await inventory('web')).toEqual([]);
  });

  it("delete sweeps the classic ELBs Kubernetes' legacy cloud provider made, before their security group", async () => {
    expect((await runCli(bootstrapArgs('svc'), env)).code).toBe(0);
    const resources = await inventory('svc');
    const vpc = resources.find((r) => r.type === 'vpc')?.id;
    const subnets = resources.filter((r) => r.type === 'subnet').map((r) => r.id);
    const elb = await clients.classicElb();
    // What the in-tree cloud provider makes for a Service of type LoadBalancer: an ELB named after the
    // Service's UID in the cluster's subnets, behind a security group k8s-elb-<name>, both tagged owned.
    const owned = [{ Key: 'kubernetes.io/cluster/svc', Value: 'owned' }];
    const service = 'a0123456789abcdef0123456789abcd';
    const group = (
      await clients.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: `k8s-elb-${service}`,
          Description: `Security group for Kubernetes ELB ${service} (countly/countly)`,
          VpcId: vpc,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: owned }],
        }),
      )
    ).GroupId;
    const listeners = [
      { Protocol: 'TCP', LoadBalancerPort: 80, InstanceProtocol: 'TCP', InstancePort: 30080 },
    ];
    await elb.send(
      new CreateClassicLoadBalancerCommand({
        LoadBalancerName: service,
        Listeners: listeners,
        Subnets: subnets,
        SecurityGroups: group ? [group] : [],
        Tags: [...owned, { Key: 'kubernetes.io/service-name', Value: 'countly/countly' }],
      }),
    );
    // An older cloud provider's ELB in the cluster's VPC, tagged only KubernetesCluster: it goes with the VPC.
    await elb.send(
      new CreateClassicLoadBalancerCommand({
        LoadBalancerName: 'legacy-tagged',
        Listeners: listeners,
        Subnets: subnets,
        Tags: [{ Key: 'KubernetesCluster', Value: 'svc' }],
      }),
    );
    // Another cluster's, outside this one's VPC: it stays.
    await elb.send(
      new CreateClassicLoadBalancerCommand({
        LoadBalancerName: 'other-cluster',
        Listeners: listeners,
        AvailabilityZones: [`${REGION}a`],
        Tags: [{ Key: 'kubernetes.io/cluster/other', Value: 'owned' }],
      }),
    );
    expect(await inventory('svc')).toContainEqual({ type: 'classic-load-balancer', id: service });

    const deleted = await runCli(['cluster', 'delete', '--name', 'svc'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await inventory('svc')).toEqual([]);
    const left = (await elb.send(new DescribeClassicLoadBalancersCommand({}))).LoadBalancerDescriptions ?? [];
    expect(left.map((l) => l.LoadBalancerName)).toEqual(['other-cluster']);
    const groups = await clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [`k8s-elb-${service}`] }],
      }),
    );
    expect(groups.SecurityGroups).toEqual([]);
  });

  it('delete after a kill -9 half-way leaves nothing', async () => {
    await bootstrapKilledAt('crash2', '"launch-template"');
    expect((await inventory('crash2')).length).toBeGreaterThan(0);
    const deleted = await runCli(['cluster', 'delete', '--name', 'crash2'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await inventory('crash2')).toEqual([]);
  });
});
