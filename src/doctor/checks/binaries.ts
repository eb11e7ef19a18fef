import type { NodeCheck } from '../types.js';
import { combine } from './combine.js';

export const binariesCheck: NodeCheck = {
  id: 'binaries',
  title: 'conntrack, socat, iptables, ebtables and bridge tools are on the PATH',
  area: 'host',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const { path, binaries } = ctx.data.binaries;
    const missing: { debian: string; rhel: string }[] = [];
    const parts = await Promise.all(
      binaries.map(async (b) => {
        for (const name of b.anyOf) {
          const found = await ctx.root.which(name, path);
          if (found) return { status: 'PASS' as const, evidence: [`${b.name}: ${found}`] };
        }
        missing.push(b.packages);
        return {
          status: b.severity,
          evidence: [`${b.name}: none of ${b.anyOf.join(', ')} in ${path.join(':')} (${b.why})`],
        };
      }),
    );
    const remediation =
      `Install the missing packages: \`apt-get install ${missing.map((p) => p.debian).join(' ')}\` ` +
      `or \`yum install ${missing.map((p) => p.rhel).join(' ')}\`.`;
    return combine(parts, remediation);
  },
};
