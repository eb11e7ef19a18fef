import { moduleState, modulesLoadConfig } from '../node/modules.js';
import type { NodeCheck } from '../types.js';
import { fail, pass } from '../types.js';

const REMEDIATION = '`modprobe br_netfilter && echo br_netfilter > /etc/modules-load.d/k8s.conf`';

export const brNetfilterCheck: NodeCheck = {
  id: 'br-netfilter',
  title: 'br_netfilter module is loaded and loaded at boot',
  area: 'network',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const state = await moduleState(ctx.root, 'br_netfilter', async () =>
      (await ctx.root.exists('/proc/sys/net/bridge/bridge-nf-call-iptables'))
        ? '/proc/sys/net/bridge/bridge-nf-call-iptables exists'
        : undefined,
    );
    const listedIn = (await modulesLoadConfig(ctx.root)).get('br_netfilter');
    const evidence = [
      state.evidence,
      listedIn
        ? `br_netfilter is listed in ${listedIn}`
        : 'br_netfilter is not listed in any modules-load.d file',
    ];
    if (state.state === 'builtin' || (state.state === 'loaded' && listedIn)) return pass(evidence);
    if (state.state === 'loaded') {
      return fail(
        [
          ...evidence,
          'loaded now but not at boot: after a reboot bridged traffic bypasses iptables and Service endpoints stop routing',
        ],
        REMEDIATION,
      );
    }
    return fail(
      [...evidence, 'bridged pod traffic bypasses iptables: kube-proxy Services do not route'],
      REMEDIATION,
    );
  },
};
