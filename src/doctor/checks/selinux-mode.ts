import { parseEnvFile } from '../node/shell-config.js';
import type { NodeCheck } from '../types.js';
import { pass, warn } from '../types.js';

const REMEDIATION =
  'Label the kubelet directory so pods can read their mounted secrets: `sudo chcon -Rt svirt_sandbox_file_t /var/lib/kubelet`, ' +
  'or set SELinux permissive (`setenforce 0` and SELINUX=permissive in /etc/selinux/config). Otherwise service account ' +
  'secrets are unreadable in pods and add-ons such as cluster DNS fail to authenticate.';

export const selinuxModeCheck: NodeCheck = {
  id: 'selinux-mode',
  title: 'SELinux is not enforcing',
  area: 'security',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const enforce = (await ctx.root.readText('/sys/fs/selinux/enforce'))?.trim();
    const config = await ctx.root.readText('/etc/selinux/config');
    const configured = config === undefined ? undefined : parseEnvFile(config).get('SELINUX');
    const evidence = [
      enforce === undefined
        ? 'SELinux is not active in the kernel (no /sys/fs/selinux/enforce)'
        : `/sys/fs/selinux/enforce = ${enforce} (${enforce === '1' ? 'enforcing' : 'permissive'})`,
      configured === undefined ? 'no /etc/selinux/config' : `/etc/selinux/config: SELINUX=${configured}`,
    ];
    if (enforce === '1') return warn(evidence, REMEDIATION);
    if (configured === 'enforcing') return warn([...evidence, 'enforcing from the next boot'], REMEDIATION);
    return pass(evidence);
  },
};
