import type { NodeCheck } from '../types.js';
import { fail, pass, skip } from '../types.js';

const OVERLAY = new Set(['overlay', 'overlay2']);

export const selinuxOverlayCheck: NodeCheck = {
  id: 'selinux-overlay',
  title: 'dockerd does not combine --selinux-enabled with the overlay driver',
  area: 'security',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const docker = (await ctx.runtimes()).find((r) => r.name === 'docker');
    if (!docker)
      return skip(
        'dockerd is not installed under this root; the conflict is specific to dockerd --selinux-enabled',
      );
    const driver = `storage driver ${docker.storageDriver.value} (${docker.storageDriver.source})`;
    const selinux = docker.selinuxEnabled;
    const selinuxLine = selinux
      ? `selinux-enabled=${selinux.value} (${selinux.source})`
      : 'dockerd SELinux support not enabled';
    if (selinux?.value === true && OVERLAY.has(docker.storageDriver.value)) {
      return fail(
        [
          driver,
          selinuxLine,
          'the overlay driver requires that /etc/sysconfig/docker does not contain --selinux-enabled',
        ],
        'Remove --selinux-enabled from OPTIONS in /etc/sysconfig/docker (or "selinux-enabled" from /etc/docker/daemon.json) and restart docker, or move off overlay.',
      );
    }
    return pass([driver, selinuxLine]);
  },
};
