import type { NodeCheck } from '../types.js';
import { combine } from './combine.js';
import { judgeSysctls } from './sysctl-requirements.js';

const REMEDIATION =
  '`echo net.ipv4.ip_forward = 1 > /etc/sysctl.d/90-kubernetes-forward.conf && sysctl --system`';

export const ipForwardCheck: NodeCheck = {
  id: 'ip-forward',
  title: 'net.ipv4.ip_forward = 1',
  area: 'network',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const requirements = ctx.data.sysctls.filter((s) => s.check === 'ip-forward');
    return combine(await judgeSysctls(ctx, requirements, 'WARN'), REMEDIATION);
  },
};
