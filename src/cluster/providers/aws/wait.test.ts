import { describe, expect, it } from 'vitest';
import type { ApiProbe } from './api-health.js';
import { waitApiHealthy } from './api-health.js';
import type { AwsContext } from './context.js';
import { awsNames } from './names.js';
import { changeRecords } from './steps/dns.js';
import { ensureLoadBalancer } from './steps/compute.js';
import { type Clock, retrying, waitFor, WaitTimeout } from './wait.js';

/** A clock whose sleeps pass at once, recording each pause. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** Answers SDK commands by their class name, in order; what AWS does slowly, a fake does at once. */
function fakeClient(answers: Record<string, (() => unknown)[]>) {
  const calls: string[] = [];
  return {
    calls,
    send(command: object): Promise<unknown> {
      const name = command.constructor.name;
      calls.push(name);
      const queue = answers[name];
      const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      if (!next) return Promise.reject(new Error(`unexpected ${name}`));
      return new Promise((resolve) => {
        resolve(next());
      });
    },
  };
}

function context(clock: Clock, clients: Record<string, unknown>): AwsContext {
  return {
    cluster: 'demo',
    names: awsNames('demo'),
    clients,
    clock,
    backoff: (timeoutMs: number) => ({ clock, timeoutMs }),
    state: { subnetIds: ['subnet-a', 'subnet-b'], vpcId: 'vpc-1' },
    journal: { record: () => Promise.resolve() },
  } as unknown as AwsContext;
}

const awsError = (name: string, message = name): Error => Object.assign(new Error(message), { name });

describe('waitFor', () => {
  it('backs off exponentially up to the cap until the probe answers', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await waitFor('x', () => Promise.resolve(++calls === 6 ? 'done' : undefined), {
      clock,
      timeoutMs: 600_000,
      initialDelayMs: 1000,
      maxDelayMs: 8000,
    });
    expect(value).toBe('done');
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('times out naming what it waited for and the last state seen', async () => {
    const clock = fakeClock();
    await expect(
      waitFor(
        'the load balancer to be active',
        (report) => {
          report('provisioning');
          return Promise.resolve(undefined);
        },
        { clock, timeoutMs: 60_000 },
      ),
    ).rejects.toThrow(
      /^timed out after 60 s waiting for the load balancer to be active \(last: provisioning\)$/,
    );
  });
});

describe('retrying', () => {
  it('retries a passing error (IAM propagation) and returns the result', async () => {
    const clock = fakeClock();
    let tries = 0;
    const result = await retrying(
      'the instance profile',
      () =>
        ++tries < 3
          ? Promise.reject(awsError('ValidationError', 'Invalid IamInstanceProfile'))
          : Promise.resolve('ok'),
      (err) => /IamInstanceProfile/.test(String(err)),
      { clock, timeoutMs: 60_000 },
    );
    expect(result).toBe('ok');
    expect(tries).toBe(3);
  });

  it('fails at once on an error that will not pass', async () => {
    const clock = fakeClock();
    await expect(
      retrying(
        'x',
        () => Promise.reject(awsError('AccessDenied')),
        () => false,
        { clock, timeoutMs: 60_000 },
      ),
    ).rejects.toThrow('AccessDenied');
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after the timeout with the last error as the reason', async () => {
    const clock = fakeClock();
    await expect(
      retrying(
        'the VPC to be deleted',
        () => Promise.reject(awsError('DependencyViolation', 'has dependencies')),
        () => true,
        {
          clock,
          timeoutMs: 30_000,
        },
      ),
    ).rejects.toThrow(/waiting for the VPC to be deleted \(last: has dependencies\)/);
  });
});

describe('the waits of the bootstrap steps', () => {
  it('Route53: waits through PENDING until INSYNC', async () => {
    const clock = fakeClock();
    const route53 = fakeClient({
      ChangeResourceRecordSetsCommand: [() => ({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING' } })],
      GetChangeCommand: [
        () => ({ ChangeInfo: { Status: 'PENDING' } }),
        () => ({ ChangeInfo: { Status: 'PENDING' } }),
        () => ({ ChangeInfo: { Status: 'INSYNC' } }),
      ],
    });
    await changeRecords(context(clock, { route53 }), 'Z1', [
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'masters.demo.k8s.', Type: 'A' } },
    ]);
    expect(route53.calls.filter((c) => c === 'GetChangeCommand')).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('Route53: a change that never syncs times out', async () => {
    const clock = fakeClock();
    const route53 = fakeClient({
      ChangeResourceRecordSetsCommand: [() => ({ ChangeInfo: { Id: '/change/C1' } })],
      GetChangeCommand: [() => ({ ChangeInfo: { Status: 'PENDING' } })],
    });
    await expect(
      changeRecords(context(clock, { route53 }), 'Z1', [
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'masters.demo.k8s.', Type: 'A' } },
      ]),
    ).rejects.toThrow(WaitTimeout);
  });

  const lb = (code: string) => () => ({
    LoadBalancers: [
      { LoadBalancerArn: 'arn:lb', DNSName: 'demo-api.elb', State: { Code: code, Reason: 'capacity' } },
    ],
  });
  const elbAnswers = (states: (() => unknown)[]) => ({
    DescribeLoadBalancersCommand: states,
    DescribeTargetGroupsCommand: [() => ({ TargetGroups: [{ TargetGroupArn: 'arn:tg' }] })],
    DescribeListenersCommand: [() => ({ Listeners: [{ Port: 6443 }] })],
  });

  it('NLB: waits while it is provisioning, then records its DNS name', async () => {
    const clock = fakeClock();
    const elb = fakeClient(
      elbAnswers([lb('provisioning'), lb('provisioning'), lb('provisioning'), lb('active')]),
    );
    const ctx = context(clock, { elb });
    await ensureLoadBalancer(ctx);
    expect(ctx.state.loadBalancerDns).toBe('demo-api.elb');
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('NLB: a load balancer that fails to provision fails the step with its reason', async () => {
    const clock = fakeClock();
    const elb = fakeClient(elbAnswers([lb('provisioning'), lb('failed')]));
    await expect(ensureLoadBalancer(context(clock, { elb }))).rejects.toThrow(/failed: capacity/);
  });
});

describe('the API wait', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nthe cluster CA\n-----END CERTIFICATE-----\n';
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: kubernetes, cluster: {server: "https://demo-api.elb:6443", certificate-authority-data: ${Buffer.from(ca).toString('base64')}}}]`,
    'users: [{name: kubernetes-admin, user: {token: placeholder}}]',
    'contexts: [{name: admin, context: {cluster: kubernetes, user: kubernetes-admin}}]',
    'current-context: admin',
  ].join('\n');
  const target = (state: string) => () => ({
    TargetHealthDescriptions: [{ TargetHealth: { State: state } }],
  });
  const notPublished = () => {
    throw awsError('ParameterNotFound');
  };
  const published = () => ({ Parameter: { Value: kubeconfig } });
  const NOT_READY =
    '[+]ping ok\n[-]etcd failed: reason withheld\n[-]poststarthook/rbac/bootstrap-roles failed: reason withheld\nreadyz check failed\n';

  /** A probe answering from a script, the last answer repeating; records what it was asked. */
  function fakeProbe(answers: (() => { status: number; body: string })[]) {
    const calls: { url: string; ca: string | undefined }[] = [];
    const probe: ApiProbe = (url, tls) => {
      calls.push({ url, ca: tls.ca });
      const next = answers.length > 1 ? answers.shift() : answers[0];
      return new Promise((resolve) => {
        resolve((next ?? (() => ({ status: 0, body: '' })))());
      });
    };
    return { calls, probe };
  }

  function apiContext(clock: Clock, elb: unknown, ssm: unknown): AwsContext {
    const ctx = context(clock, { elb, ssm });
    ctx.state.targetGroupArn = 'arn:tg';
    ctx.state.loadBalancerDns = 'demo-api.elb';
    (ctx as { options: unknown }).options = { apiTimeoutMs: 600_000, region: 'us-east-1' };
    return ctx;
  }

  it('a slow API: waits for a healthy target, the kubeconfig, then /readyz through the load balancer', async () => {
    const clock = fakeClock();
    const elb = fakeClient({
      DescribeTargetHealthCommand: [target('initial'), target('initial'), target('healthy')],
    });
    const ssm = fakeClient({ GetParameterCommand: [notPublished, notPublished, published] });
    const { calls, probe } = fakeProbe([
      () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
      () => ({ status: 500, body: NOT_READY }),
      () => ({ status: 200, body: 'ok' }),
    ]);
    await waitApiHealthy(apiContext(clock, elb, ssm), probe);
    expect(elb.calls).toHaveLength(3);
    expect(ssm.calls).toHaveLength(3);
    expect(calls).toEqual(Array(3).fill({ url: 'https://demo-api.elb:6443/readyz', ca }));
  });

  it('an API that accepts connections but is never ready times out naming the failing checks', async () => {
    const clock = fakeClock();
    const elb = fakeClient({ DescribeTargetHealthCommand: [target('healthy')] });
    const ssm = fakeClient({ GetParameterCommand: [published] });
    const { calls, probe } = fakeProbe([() => ({ status: 500, body: NOT_READY })]);
    await expect(waitApiHealthy(apiContext(clock, elb, ssm), probe)).rejects.toThrow(
      /waiting for the API server to be ready \(https:\/\/demo-api\.elb:6443\/readyz\) \(last: HTTP 500, failing: etcd, poststarthook\/rbac\/bootstrap-roles\)$/,
    );
    expect(calls.length).toBeGreaterThan(3);
  });

  it('a certificate the cluster CA did not sign never passes: the TLS error is the last state', async () => {
    const clock = fakeClock();
    const elb = fakeClient({ DescribeTargetHealthCommand: [target('healthy')] });
    const ssm = fakeClient({ GetParameterCommand: [published] });
    const { probe } = fakeProbe([
      () => {
        throw new Error('unable to verify the first certificate');
      },
    ]);
    await expect(waitApiHealthy(apiContext(clock, elb, ssm), probe)).rejects.toThrow(
      /\(last: unable to verify the first certificate\)$/,
    );
  });

  it('no healthy target: times out at the load balancer, before any HTTPS request', async () => {
    const clock = fakeClock();
    const elb = fakeClient({ DescribeTargetHealthCommand: [target('unhealthy')] });
    const ssm = fakeClient({ GetParameterCommand: [published] });
    const { calls, probe } = fakeProbe([() => ({ status: 200, body: 'ok' })]);
    await expect(waitApiHealthy(apiContext(clock, elb, ssm), probe)).rejects.toThrow(
      /waiting for a master to be healthy behind the load balancer \(last: unhealthy\)/,
    );
    expect(calls).toEqual([]);
    expect(ssm.calls).toEqual([]);
  });
});
