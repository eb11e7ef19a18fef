import { errorMessage } from '../../errors/index.js';
import { clusterCheck, fail, pass } from '../types.js';

const remediation =
  'Check the kubeconfig context (--context, $KUBECONFIG) and that the control plane is running (`cncfdemo cluster list`).';

export const apiServerCheck = clusterCheck({
  id: 'api-server',
  title: 'Kubernetes API server is reachable',
  area: 'cluster',
  needs: ['kube'],
  // No client at all is this check's finding, not a reason to skip it.
  unmetFails: { remediation },
  async run(ctx) {
    try {
      const version = await ctx.cluster.serverVersion();
      return pass([`${ctx.cluster.description}: Kubernetes ${version}`]);
    } catch (err) {
      return fail([`${ctx.cluster.description}: ${errorMessage(err)}`], remediation);
    }
  },
});
