import { errorMessage } from '../../errors/index.js';
import type { ClusterCheck } from '../types.js';
import { fail, pass } from '../types.js';

export const apiServerCheck: ClusterCheck = {
  id: 'api-server',
  title: 'Kubernetes API server is reachable',
  area: 'cluster',
  scope: 'cluster',
  async run(ctx) {
    const remediation =
      'Check the kubeconfig context (--context, $KUBECONFIG) and that the control plane is running (`cncfdemo cluster list`).';
    if (!ctx.cluster) return fail([ctx.clusterUnavailable ?? 'no cluster configured'], remediation);
    try {
      const version = await ctx.cluster.serverVersion();
      return pass([`${ctx.cluster.description}: Kubernetes ${version}`]);
    } catch (err) {
      return fail([`${ctx.cluster.description}: ${errorMessage(err)}`], remediation);
    }
  },
};
