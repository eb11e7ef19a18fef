import { clusterCheck, fail, pass } from '../types.js';

export const nodesReadyCheck = clusterCheck({
  id: 'nodes-ready',
  title: 'All nodes are Ready',
  area: 'cluster',
  needs: ['kube'],
  async run(ctx) {
    const nodes = await ctx.cluster.listNodes();
    if (nodes.length === 0)
      return fail(
        ['no nodes are registered'],
        'Join nodes to the cluster (kubeadm join, or `cncfdemo cluster create --nodes N`).',
      );
    const simulated = nodes.filter((n) => n.simulated).length;
    const notReady = nodes.filter((n) => !n.ready);
    const summary = `${nodes.length - notReady.length}/${nodes.length} nodes Ready${simulated > 0 ? ` (${simulated} simulated by kwok)` : ''}`;
    if (notReady.length === 0) return pass([summary]);
    return fail(
      [summary, ...notReady.map((n) => `${n.name}: NotReady${n.readyDetail ? ` (${n.readyDetail})` : ''}`)],
      'Run `cncfdemo doctor` on each NotReady node: a missing CNI config, cgroup driver mismatch or swap keep the kubelet from becoming Ready.',
    );
  },
});
