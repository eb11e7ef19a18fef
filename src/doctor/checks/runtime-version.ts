import semver from 'semver';
import type { RuntimeSupport } from '../data.js';
import { kubeletInstalled } from '../node/kubelet.js';
import { servingRuntimes, type RuntimeFacts } from '../node/runtimes.js';
import type { CheckStatus, NodeCheck, NodeContext } from '../types.js';
import { skip } from '../types.js';
import { combine } from './combine.js';
import { noKubelet, noRuntime } from './reasons.js';

const MATRIX = 'data/doctor/runtime-support.yaml';

export const runtimeVersionCheck: NodeCheck = {
  id: 'runtime-version',
  title: 'Container runtime version supports the Kubernetes version (support matrix)',
  area: 'runtime',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const kubelet = await ctx.kubelet();
    if (!kubeletInstalled(kubelet)) return skip(noKubelet(ctx));
    if (!kubelet.version) {
      return skip(
        `Kubernetes version unknown: no kubelet package in /var/lib/dpkg/status${ctx.live ? ' and `kubelet --version` gave none' : ' (a non-live root cannot run kubelet --version)'}`,
      );
    }
    const runtimes = servingRuntimes(await ctx.runtimes(), kubelet);
    if (runtimes.length === 0) return skip(noRuntime(ctx));
    const k8s = kubelet.version.value;
    const parts = await Promise.all(runtimes.map((r) => judge(ctx, r, k8s)));
    const result = combine(
      [{ status: 'SKIP', evidence: [`Kubernetes ${k8s} (${kubelet.version.source})`] }, ...parts],
      '',
    );
    return result.status === 'PASS' || result.status === 'SKIP'
      ? result
      : {
          ...result,
          remediation: `Install a runtime version listed for Kubernetes ${minorOf(k8s)} in ${MATRIX} (sources named there), or update the matrix from its source.`,
        };
  },
};

async function judge(
  ctx: NodeContext,
  runtime: RuntimeFacts,
  k8s: string,
): Promise<{ status: CheckStatus; evidence: string[] }> {
  const support = ctx.data.runtimes[runtime.name];
  if (!runtime.version) {
    return {
      status: 'SKIP',
      evidence: [
        `${runtime.name}: version unknown (${ctx.live ? 'no dpkg package and --version gave none' : 'no dpkg package under this root'})`,
      ],
    };
  }
  const v = runtime.version.value;
  const line = `${runtime.name} ${v} (${runtime.version.source})`;
  if (!support) return { status: 'WARN', evidence: [`${line}: ${runtime.name} is not in ${MATRIX}`] };
  return verdict(support, runtime.name, v, k8s, line, async (name) =>
    ctx.root.which(name, ctx.data.binaries.path),
  );
}

/** The support matrix rule for one runtime version; exported for table-driven tests of the data. */
export async function verdict(
  support: RuntimeSupport,
  name: string,
  version: string,
  k8s: string,
  line: string,
  findBinary: (name: string) => Promise<string | undefined>,
): Promise<{ status: CheckStatus; evidence: string[] }> {
  const minor = minorOf(k8s);
  if (support.removedIn && semver.gte(k8s, `${support.removedIn}.0`)) {
    const adapter = support.adapter ? await findBinary(support.adapter) : undefined;
    if (adapter)
      return {
        status: 'PASS',
        evidence: [line, `served through ${adapter} (${support.removedReason ?? ''})`],
      };
    return {
      status: 'FAIL',
      evidence: [
        line,
        `${support.removedReason ?? `removed in Kubernetes ${support.removedIn}`}; no ${support.adapter ?? 'adapter'} found`,
      ],
    };
  }
  if (support.sameMinor) {
    return minorOf(version) === minor
      ? { status: 'PASS', evidence: [`${line}: serves Kubernetes ${minor}`] }
      : {
          status: 'FAIL',
          evidence: [
            `${line}: ${name} ${minorOf(version)} serves Kubernetes ${minorOf(version)}, not ${minor}`,
          ],
        };
  }
  const ranges = support.kubernetes?.[minor];
  if (!ranges) {
    const known = Object.keys(support.kubernetes ?? {});
    return {
      status: 'WARN',
      evidence: [
        `${line}: no row for Kubernetes ${minor} in ${MATRIX} (rows: ${known.join(', ') || 'none'}); cannot confirm support`,
      ],
    };
  }
  const ok = ranges.some((r) => semver.satisfies(version, r));
  return ok
    ? { status: 'PASS', evidence: [`${line}: supported for Kubernetes ${minor} (${ranges.join(' || ')})`] }
    : {
        status: 'FAIL',
        evidence: [`${line}: not supported for Kubernetes ${minor}; needs ${ranges.join(' || ')}`],
      };
}

function minorOf(version: string): string {
  const [major, minor] = version.split('.');
  return `${major ?? '0'}.${minor ?? '0'}`;
}
