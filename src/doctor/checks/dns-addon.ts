import type { DeploymentRollout } from '../cluster/reader.js';
import type { ClusterContextFor } from '../types.js';
import { clusterCheck, fail, pass, skip } from '../types.js';

const CANDIDATES = ['coredns', 'kube-dns'];

/** The cluster DNS Deployment in kube-system, if one is installed. */
export async function findDnsAddon(ctx: ClusterContextFor<'kube'>): Promise<DeploymentRollout | undefined> {
  for (const name of CANDIDATES) {
    const d = await ctx.cluster.getDeployment('kube-system', name);
    if (d) return d;
  }
  return undefined;
}

export function rolledOut(d: DeploymentRollout): boolean {
  return d.observed && d.updated >= d.desired && d.ready >= d.desired && d.available >= d.desired;
}

export const dnsAddonCheck = clusterCheck({
  id: 'dns-addon',
  title: 'Cluster DNS add-on (CoreDNS / kube-dns) is rolled out',
  area: 'cluster',
  needs: ['kube'],
  async run(ctx) {
    const d = await findDnsAddon(ctx);
    if (!d)
      return skip(
        `no ${CANDIDATES.join(' or ')} Deployment in kube-system: this cluster has no DNS add-on installed`,
      );
    const line = `kube-system/${d.name}: ${d.ready}/${d.desired} ready, ${d.updated} updated, ${d.available} available${d.observed ? '' : ', status not yet observed'}`;
    if (rolledOut(d)) return pass([line]);
    return fail(
      [line],
      `Inspect it: \`kubectl -n kube-system describe deployment ${d.name}\` and its pods' logs; on SELinux-enforcing nodes the DNS pods cannot read their service account token (see selinux-mode).`,
    );
  },
});
