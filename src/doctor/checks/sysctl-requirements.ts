import type { SysctlRequirement } from '../data.js';
import { liveSysctl, persistedSysctls, sysctlConf } from '../node/sysctl.js';
import type { CheckStatus, NodeContext } from '../types.js';

/**
 * Judges each required kernel parameter live and as persisted. `unpersisted` is the status when the live
 * value is right but a reboot would lose it (or leave it to `sysctl -p` racing a module load).
 */
export async function judgeSysctls(
  ctx: NodeContext,
  requirements: readonly SysctlRequirement[],
  unpersisted: CheckStatus,
): Promise<{ status: CheckStatus; evidence: string[] }[]> {
  const persisted = await persistedSysctls(ctx.root);
  const confValues = await sysctlConf(ctx.root);
  return Promise.all(
    requirements.map(async (req) => {
      const live = await liveSysctl(ctx.root, req.key);
      const saved = persisted.get(req.key);
      const evidence: string[] = [];
      let status: CheckStatus = 'PASS';
      if (live === undefined) {
        evidence.push(`${req.key}: missing from /proc/sys${req.module ? ` (${req.module} not loaded)` : ''}`);
        status = 'FAIL';
      } else if (live !== req.value) {
        evidence.push(`${req.key} = ${live} live, needs ${req.value}`);
        status = 'FAIL';
      } else {
        evidence.push(`${req.key} = ${live} live`);
      }
      const conf = confValues.get(req.key);
      if (saved?.value === req.value) {
        evidence.push(`${req.key} = ${saved.value} persisted by ${saved.file}`);
      } else if (!saved && req.kernelDefault === req.value) {
        evidence.push(
          `${req.key} is set by no sysctl.d file: the kernel default ${req.kernelDefault} applies at boot`,
        );
      } else {
        const after = saved
          ? `${saved.value} (from ${saved.file})`
          : `the kernel default ${req.kernelDefault}`;
        if (conf === req.value) {
          evidence.push(
            `${req.key} = ${req.value} only in /etc/sysctl.conf, which systemd-sysctl does not read: applied by \`sysctl -p\`, which fails with "unknown key" when it runs before ${req.module ?? 'the module'} loads; after boot it is ${after}`,
          );
        } else {
          evidence.push(
            `${req.key} = ${req.value} is not persisted in any sysctl.d file: after a reboot it is ${after}`,
          );
        }
        if (status === 'PASS') status = unpersisted;
      }
      return { status, evidence };
    }),
  );
}
