import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError } from '../helpers/bad-inputs.js';
import { runCli } from '../helpers/cli.js';
import { freePort, type Moto, motoEnv, startMoto } from '../helpers/moto.js';

let moto: Moto;
let home: string;
let ec2: EC2Client;

beforeAll(async () => {
  moto = await startMoto();
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-aws-bad-'));
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 120_000);

afterAll(async () => {
  ec2.destroy();
  moto.stop();
  await rm(home, { recursive: true, force: true });
});

const bootstrap = (extra: string[], env: NodeJS.ProcessEnv = motoEnv({ CNCFDEMO_HOME: home })) =>
  runCli(
    [
      'bootstrap',
      'aws',
      '--region',
      'us-east-1',
      '--aws-endpoint',
      moto.endpoint,
      '--api-timeout',
      '0',
      ...extra,
    ],
    env,
  );

/** Nothing was created: moto holds only its default VPC, and the home no cluster. */
async function expectNothingCreated(): Promise<void> {
  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  expect(vpcs.filter((v) => !v.IsDefault)).toEqual([]);
  expect(await readdir(join(home, 'clusters')).catch(() => [])).toEqual([]);
}

describe('bootstrap aws refuses bad input in one line and creates nothing', () => {
  it.each([
    [
      'an unknown region',
      ['--name', 'demo', '--region', 'xx-nowhere-1'],
      'unknown AWS region "xx-nowhere-1"',
    ],
    [
      'a region that is not one',
      ['--name', 'demo', '--region', 'Mars'],
      '--region "Mars" is not an AWS region',
    ],
    ['a name that is not a DNS label', ['--name', 'Demo_1'], '--name "Demo_1" must be a DNS label'],
    [
      'an instance type that is not one',
      ['--name', 'demo', '--node-type', 'large'],
      '--node-type "large" is not an instance type',
    ],
  ])('%s', async (_, args, error) => {
    expectOneLineError(await bootstrap(args), error);
    await expectNothingCreated();
  });

  it('no credentials', async () => {
    const env = motoEnv({ CNCFDEMO_HOME: home });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    expectOneLineError(await bootstrap(['--name', 'demo'], env), 'no AWS credentials found');
    await expectNothingCreated();
  });

  it('an endpoint that does not answer', async () => {
    const port = await freePort();
    const result = await runCli(
      [
        'bootstrap',
        'aws',
        '--name',
        'demo',
        '--region',
        'us-east-1',
        '--aws-endpoint',
        `http://127.0.0.1:${port}`,
      ],
      motoEnv({ CNCFDEMO_HOME: home }),
    );
    expectOneLineError(result, `the AWS API at http://127.0.0.1:${port} does not answer`);
    await expectNothingCreated();
  });

  it('an endpoint from AWS_ENDPOINT_URL that does not answer, like --aws-endpoint', async () => {
    const port = await freePort();
    const result = await runCli(
      ['bootstrap', 'aws', '--name', 'demo', '--region', 'us-east-1'],
      motoEnv({ CNCFDEMO_HOME: home, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }),
    );
    expectOneLineError(result, `the AWS API at http://127.0.0.1:${port} does not answer`);
  });

  it('an instance type missing from the price table is a warning, not an error', async () => {
    const result = await bootstrap(['--name', 'demo', '--node-type', 'm7a.large', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'warn: instance type m7a.large is not in data/prices.yaml: benchmark costs on this cluster will be unknown',
    ]);
    expect(result.stdout).toContain('cost: unknown (not in data/prices.yaml: m7a.large)');
    await expectNothingCreated();
  });

  it('--dry-run prints the plan and the hourly cost from the price table', async () => {
    const plan = await bootstrap(['--name', 'plan', '--masters', '3', '--nodes', '2', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    // 3 x t3.medium (0.0416) + 2 x t3.large (0.0832) from data/prices.yaml.
    expect(plan.stdout).toContain('cost: USD 0.2912 per hour');
    expect(plan.stdout).toMatch(
      /auto-scaling-groups: .*cncfdemo-plan-master \(3\) and cncfdemo-plan-minion \(2\)/,
    );
    await expectNothingCreated();
  });
});
