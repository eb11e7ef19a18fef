import { errorMessage } from '../../errors/index.js';
import type { ProbeSpec } from '../cluster/reader.js';
import type { CheckResult, ClusterContextFor } from '../types.js';
import { fail, pass, skip } from '../types.js';
import { findDnsAddon } from './dns-addon.js';

/**
 * Runs a probe pod on real nodes. Simulated (kwok) nodes run no containers, so there the probe is
 * skipped with that reason instead of waiting for a pod that will never do anything.
 */
export async function runInClusterProbe(
  ctx: ClusterContextFor<'kube'>,
  probe: ProbeSpec,
  describe: { what: string; remediation: string; needsDns: boolean },
): Promise<CheckResult> {
  const nodes = await ctx.cluster.listNodes();
  const real = nodes.filter((n) => !n.simulated && n.ready);
  if (real.length === 0) {
    const simulated = nodes.filter((n) => n.simulated).length;
    return skip(
      simulated > 0
        ? `all ${nodes.length} Ready node(s) are simulated by kwok (annotation kwok.x-k8s.io/node=fake / label type=kwok): pods run no containers, so ${describe.what} cannot be exercised`
        : `no Ready node to run a probe pod on`,
    );
  }
  if (describe.needsDns && !(await findDnsAddon(ctx))) return skip('no DNS add-on installed (see dns-addon)');
  try {
    const outcome = await ctx.cluster.runProbe(probe, ctx.signal);
    const evidence = [
      `probe "${probe.name}" (${probe.image}): ${outcome.detail}`,
      ...(outcome.logs.trim() ? [`output: ${outcome.logs.trim().split('\n').slice(-3).join(' | ')}`] : []),
    ];
    return outcome.succeeded ? pass(evidence) : fail(evidence, describe.remediation);
  } catch (err) {
    return fail([`probe "${probe.name}" could not run: ${errorMessage(err)}`], describe.remediation);
  }
}
