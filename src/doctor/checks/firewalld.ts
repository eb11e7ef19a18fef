import type { NodeCheck } from '../types.js';
import { pass, warn } from '../types.js';

const REMEDIATION =
  '`systemctl disable --now firewalld` (as the blog walkthrough did), or open what Kubernetes needs: 6443, 10250, ' +
  "30000-32767 and your network add-on's ports, and allow the pod and Service CIDRs.";
const WANTS = [
  '/etc/systemd/system/multi-user.target.wants/firewalld.service',
  '/etc/systemd/system/sysinit.target.wants/firewalld.service',
];

export const firewalldCheck: NodeCheck = {
  id: 'firewalld',
  title: 'firewalld is not active',
  area: 'network',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const pids: string[] = [];
    for (const entry of await ctx.root.list('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      if ((await ctx.root.readText(`/proc/${entry}/comm`))?.trim() === 'firewalld') pids.push(entry);
    }
    let enabled: string | undefined;
    for (const w of WANTS) if (!enabled && (await ctx.root.exists(w))) enabled = w;
    const binary = await ctx.root.which('firewalld', ctx.data.binaries.path);
    const evidence = [
      pids.length > 0 ? `firewalld is running (pid ${pids.join(', ')})` : 'no firewalld process in /proc',
      enabled ? `enabled at boot: ${enabled}` : 'not enabled at boot',
      binary ? `installed: ${binary}` : 'not installed',
    ];
    if (pids.length > 0) return warn(evidence, REMEDIATION);
    if (enabled) return warn([...evidence, 'starts at the next boot'], REMEDIATION);
    return pass(evidence);
  },
};
