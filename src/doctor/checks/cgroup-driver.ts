import { kubeletInstalled, kubeletSetting } from '../node/kubelet.js';
import { servingRuntimes } from '../node/runtimes.js';
import type { NodeCheck } from '../types.js';
import { fail, pass, skip } from '../types.js';
import { noKubelet, noRuntime } from './reasons.js';

export const cgroupDriverCheck: NodeCheck = {
  id: 'cgroup-driver',
  title: 'kubelet and container runtime use the same cgroup driver',
  area: 'runtime',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const kubelet = await ctx.kubelet();
    if (!kubeletInstalled(kubelet)) return skip(noKubelet(ctx));
    const runtimes = servingRuntimes(await ctx.runtimes(), kubelet);
    if (runtimes.length === 0) return skip(noRuntime(ctx));
    const setting = kubeletSetting(kubelet, 'cgroup-driver', 'cgroupDriver');
    const kubeletDriver = setting?.value ?? 'cgroupfs';
    const evidence = [`kubelet: ${kubeletDriver} (${setting?.source ?? "not set; the kubelet's default"})`];
    const mismatched: string[] = [];
    for (const r of runtimes) {
      evidence.push(`${r.name}: ${r.cgroupDriver.value} (${r.cgroupDriver.source})`);
      if (r.cgroupDriver.value !== kubeletDriver) mismatched.push(r.name);
    }
    if (mismatched.length === 0) return pass(evidence);
    return fail(
      evidence,
      `Use one driver everywhere, systemd on systemd hosts: cgroupDriver: systemd in the kubelet config and ` +
        `${mismatched.map((n) => (n === 'docker' ? 'exec-opts ["native.cgroupdriver=systemd"] for dockerd' : n === 'containerd' ? "SystemdCgroup = true for containerd's runc" : 'cgroup_manager = "systemd" for CRI-O')).join(', ')}; then restart both.`,
    );
  },
};
