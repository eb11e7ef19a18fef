import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  CreateSubnetCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/api/doctor.js';
import { freePort, type Moto, motoEnv, startMoto } from '../helpers/moto.js';

const REGION = 'us-west-2';
const ENV = motoEnv({ AWS_REGION: REGION });

describe('aws-security-groups against moto (EC2 API emulator on loopback)', () => {
  let moto: Moto;
  let endpoint: string;
  let ec2: EC2Client;

  beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
    ec2 = new EC2Client({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  }, 60_000);

  afterAll(() => {
    ec2.destroy();
    moto.stop();
  });

  it('FAILs with two tagged security groups on one instance and PASSes after one tag is removed', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet
      ?.SubnetId;
    const group = async (name: string): Promise<string> =>
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpc })))
        .GroupId ?? '';
    const masters = await group('k8s-masters');
    const minions = await group('k8s-minions');
    await ec2.send(
      new CreateTagsCommand({ Resources: [masters], Tags: [{ Key: 'KubernetesCluster', Value: 'demo' }] }),
    );
    await ec2.send(
      new CreateTagsCommand({
        Resources: [minions],
        Tags: [{ Key: 'kubernetes.io/cluster/demo', Value: 'owned' }],
      }),
    );
    const image = (await ec2.send(new DescribeImagesCommand({}))).Images?.[0]?.ImageId;
    const instance = (
      await ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.medium',
          SubnetId: subnet,
          SecurityGroupIds: [masters, minions],
        }),
      )
    ).Instances?.[0]?.InstanceId;

    const check = () =>
      runDoctor({ checks: ['aws-security-groups'], awsEndpoint: endpoint, awsClusterName: 'demo', env: ENV });

    const before = (await check()).checks[0];
    expect(before?.status).toBe('FAIL');
    expect(before?.evidence.join('\n')).toContain(
      `${instance ?? ''}: 2 security groups tagged for cluster demo: ${masters} (k8s-masters, KubernetesCluster=demo), ${minions} (k8s-minions, kubernetes.io/cluster/demo=owned)`,
    );
    expect(before?.remediation).toMatch(/creating\.\.\./);

    // The seed's fix: remove the tag from the masters' group.
    await ec2.send(new DeleteTagsCommand({ Resources: [masters], Tags: [{ Key: 'KubernetesCluster' }] }));
    const after = (await check()).checks[0];
    expect(after?.status).toBe('PASS');
    expect(after?.evidence[0]).toMatch(
      /^\d+ instance\(s\), \d+ security group\(s\) in region us-west-2 at http:\/\/127\.0\.0\.1:\d+; tags for cluster demo$/,
    );
  });

  it('FAILs with the API error when the endpoint does not answer', async () => {
    const port = await freePort();
    const report = await runDoctor({
      checks: ['aws-security-groups'],
      awsEndpoint: `http://127.0.0.1:${port}`,
      env: ENV,
    });
    expect(report.checks[0]?.status).toBe('FAIL');
    expect(report.checks[0]?.evidence[0]).toMatch(
      /^EC2 API in region us-west-2 at http:\/\/127\.0\.0\.1:\d+: /,
    );
  });
});
