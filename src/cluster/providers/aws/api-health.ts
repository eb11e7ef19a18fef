import { request } from 'node:https';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { errorMessage } from '../../../errors/index.js';
import { kubeconfigTls, type KubeconfigTls } from '../../kubeconfig-file.js';
import type { AwsContext } from './context.js';
import { explainAwsError, isAwsError } from './errors.js';
import { waitFor } from './wait.js';

export interface ApiAnswer {
  status: number;
  body: string;
}

/**
 * One HTTPS GET of the API server with the cluster's CA and the admin client certificate; rejects when
 * nothing answers (refused, reset, a TLS failure, no answer in time). Injectable: tests play a slow or a
 * failing API server with a fake.
 */
export type ApiProbe = (url: string, tls: KubeconfigTls, signal?: AbortSignal) => Promise<ApiAnswer>;

/** How long one probe may take; the wait's backoff and timeout decide how often and how long to try. */
const PROBE_TIMEOUT_MS = 10_000;
const MAX_BODY = 64 * 1024;

export const httpsProbe: ApiProbe = (url, tls, signal) =>
  new Promise((resolve, reject) => {
    const req = request(url, { ...tls, timeout: PROBE_TIMEOUT_MS, ...(signal ? { signal } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });

/** The checks /readyz reports as failing (`[-]etcd failed: reason withheld` -> `etcd`). */
export function failingChecks(body: string): string[] {
  return [...body.matchAll(/^\[-\]([^\s]+) failed/gm)].map((m) => m[1] ?? '');
}

/** The admin kubeconfig the first master publishes in SSM once kubeadm init is done; undefined until then. */
export async function publishedKubeconfig(ctx: AwsContext): Promise<string | undefined> {
  try {
    return (
      await ctx.clients.ssm.send(
        new GetParameterCommand({ Name: `${ctx.names.secrets}/admin-kubeconfig`, WithDecryption: true }),
      )
    ).Parameter?.Value;
  } catch (err) {
    if (isAwsError(err, 'ParameterNotFound')) return undefined;
    throw explainAwsError(err, ctx.options.endpoint ?? ctx.options.region);
  }
}

/**
 * Healthy means, in order: a master passes the load balancer's (TCP) health check, the first master has
 * published the admin kubeconfig, and the API server answers /readyz with 200 through the load balancer's
 * name, its certificate checked against the cluster's CA. A TCP connect alone passes while etcd or the
 * API server's own start-up hooks are still failing.
 */
export async function waitApiHealthy(ctx: AwsContext, probe: ApiProbe = httpsProbe): Promise<void> {
  const timeoutMs = ctx.options.apiTimeoutMs;
  await waitFor(
    'a master to be healthy behind the load balancer',
    async (report) => {
      const health =
        (
          await ctx.clients.elb.send(
            new DescribeTargetHealthCommand({ TargetGroupArn: ctx.state.targetGroupArn }),
          )
        ).TargetHealthDescriptions ?? [];
      report(health.map((h) => h.TargetHealth?.State ?? 'unknown').join(', ') || 'no targets');
      return health.some((h) => h.TargetHealth?.State === 'healthy') ? true : undefined;
    },
    ctx.backoff(timeoutMs),
  );
  const kubeconfig = await waitFor(
    'the first master to publish the admin kubeconfig',
    () => publishedKubeconfig(ctx),
    ctx.backoff(timeoutMs),
  );
  const tls = kubeconfigTls(kubeconfig);
  const url = `https://${ctx.state.loadBalancerDns ?? ''}:6443/readyz`;
  await waitFor(
    `the API server to be ready (${url})`,
    async (report) => {
      let answer: ApiAnswer;
      try {
        answer = await probe(url, tls, ctx.signal);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        report(errorMessage(err));
        return undefined;
      }
      if (answer.status === 200) return true;
      const failing = failingChecks(answer.body);
      report(`HTTP ${answer.status}${failing.length > 0 ? `, failing: ${failing.join(', ')}` : ''}`);
      return undefined;
    },
    ctx.backoff(timeoutMs),
  );
}
