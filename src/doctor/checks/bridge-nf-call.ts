import type { NodeCheck } from '../types.js';
import { combine } from './combine.js';
import { judgeSysctls } from './sysctl-requirements.js';

const REMEDIATION =
  'Persist the values in a sysctl.d file, which systemd re-applies whenever br_netfilter loads (the seed used ' +
  '/usr/lib/sysctl.d/90-system.conf): `printf "net.bridge.bridge-nf-call-iptables = 1\\nnet.bridge.bridge-nf-call-ip6tables = 1\\n" ' +
  '> /etc/sysctl.d/90-kubernetes.conf && sysctl --system`. Values only in /etc/sysctl.conf race the module at boot.';

export const bridgeNfCallCheck: NodeCheck = {
  id: 'bridge-nf-call',
  title: 'bridge-nf-call-iptables/ip6tables = 1, live and persisted in sysctl.d',
  area: 'network',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const requirements = ctx.data.sysctls.filter((s) => s.check === 'bridge-nf-call');
    return combine(await judgeSysctls(ctx, requirements, 'FAIL'), REMEDIATION);
  },
};
