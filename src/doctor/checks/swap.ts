import { kubeletSetting } from '../node/kubelet.js';
import type { NodeCheck } from '../types.js';
import { fail, pass, skip, warn } from '../types.js';

const REMEDIATION =
  '`swapoff -a` and comment out the swap lines in /etc/fstab; the kubelet refuses to start with swap on unless failSwapOn: false.';

export const swapCheck: NodeCheck = {
  id: 'swap',
  title: 'Swap is off (now and at boot)',
  area: 'host',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const swaps = await ctx.root.readText('/proc/swaps');
    if (swaps === undefined)
      return skip(`no ${ctx.root.path === '/' ? '' : ctx.root.path}/proc/swaps to read`);
    const active = swaps
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '');
    const fstab = ((await ctx.root.readText('/etc/fstab')) ?? '')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#') && l.trim().split(/\s+/)[2] === 'swap');
    const evidence = [
      active.length === 0
        ? 'no active swap in /proc/swaps'
        : `active swap: ${active.map((l) => l.split(/\s+/)[0] ?? '').join(', ')}`,
      fstab.length === 0
        ? 'no swap entries in /etc/fstab'
        : `/etc/fstab swap entries: ${fstab.map((l) => l.trim().split(/\s+/)[0] ?? '').join(', ')}`,
    ];
    if (active.length > 0) {
      const failSwapOn = kubeletSetting(await ctx.kubelet(), 'fail-swap-on', 'failSwapOn');
      if (failSwapOn?.value === 'false')
        return warn([...evidence, `kubelet tolerates swap (${failSwapOn.source})`], REMEDIATION);
      return fail(evidence, REMEDIATION);
    }
    if (fstab.length > 0) return warn([...evidence, 'swap comes back at the next boot'], REMEDIATION);
    return pass(evidence);
  },
};
