import { moduleState, modulesLoadConfig } from '../node/modules.js';
import type { NodeCheck } from '../types.js';
import { fail, pass, warn } from '../types.js';

const OVERLAY_DRIVERS = new Set(['overlay', 'overlay2', 'overlayfs']);
const REMEDIATION =
  "`modprobe overlay && echo overlay > /etc/modules-load.d/overlay.conf` (the seeds' overlay set-up), then restart the runtime.";

export const overlayModuleCheck: NodeCheck = {
  id: 'overlay-module',
  title: 'overlay filesystem module is available and loaded at boot',
  area: 'storage',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const state = await moduleState(ctx.root, 'overlay', async () =>
      /\boverlay$/m.test((await ctx.root.readText('/proc/filesystems')) ?? '')
        ? 'overlay in /proc/filesystems'
        : undefined,
    );
    const listedIn = (await modulesLoadConfig(ctx.root)).get('overlay');
    const users = (await ctx.runtimes())
      .filter((r) => OVERLAY_DRIVERS.has(r.storageDriver.value))
      .map((r) => r.name);
    const evidence = [
      state.evidence,
      listedIn ? `overlay is listed in ${listedIn}` : 'overlay is not listed in any modules-load.d file',
    ];
    if (users.length > 0) evidence.push(`used by: ${users.join(', ')}`);
    if (state.state === 'builtin' || (state.state === 'loaded' && listedIn)) return pass(evidence);
    if (state.state === 'loaded')
      return warn([...evidence, 'loaded now, but not configured to load at boot'], REMEDIATION);
    if (listedIn) return warn([...evidence, 'configured for boot but not loaded now'], REMEDIATION);
    return users.length > 0 ? fail(evidence, REMEDIATION) : warn(evidence, REMEDIATION);
  },
};
