import { loopBackingFiles } from '../node/context.js';
import { noRuntime } from './reasons.js';
import type { RuntimeFacts } from '../node/runtimes.js';
import type { CheckStatus, NodeCheck, NodeContext } from '../types.js';
import { skip } from '../types.js';
import { combine } from './combine.js';

const GOOD = new Set(['overlay', 'overlay2', 'overlayfs', 'btrfs', 'zfs']);
const DEVICEMAPPER = new Set(['devicemapper', 'devmapper']);

const REMEDIATION =
  'Use overlay2 (docker: "storage-driver": "overlay2" in /etc/docker/daemon.json or --storage-driver=overlay2; ' +
  'containerd: snapshotter = "overlayfs"), `echo overlay > /etc/modules-load.d/overlay.conf`, then reboot. ' +
  'docker-storage-setup falls back to loop devices when the root volume group has no free space; ' +
  'such nodes corrupt /var/lib/docker and fail later.';

export const storageDriverCheck: NodeCheck = {
  id: 'storage-driver',
  title: 'Container storage driver is not devicemapper on loop devices',
  area: 'storage',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const runtimes = await ctx.runtimes();
    if (runtimes.length === 0) return skip(noRuntime(ctx));
    const loops = await loopBackingFiles(ctx.root);
    return combine(await Promise.all(runtimes.map((r) => judge(ctx, r, loops))), REMEDIATION);
  },
};

async function judge(
  ctx: NodeContext,
  runtime: RuntimeFacts,
  loops: { device: string; file: string }[],
): Promise<{ status: CheckStatus; evidence: string[] }> {
  const driver = runtime.storageDriver.value;
  const evidence = [
    `${runtime.name}: storage driver ${driver} (${runtime.storageDriver.source})`,
    ...runtime.problems,
  ];
  if (GOOD.has(driver)) return { status: 'PASS', evidence };
  if (!DEVICEMAPPER.has(driver)) {
    evidence.push(`${driver} is slow or out of the mainline kernel; overlay2 is the supported choice`);
    return { status: 'WARN', evidence };
  }
  const loopFiles = loops.filter((l) => /devicemapper|devmapper|containerd|docker/.test(l.file));
  for (const l of loopFiles) evidence.push(`/dev/${l.device} is backed by the file ${l.file}`);
  const dataFile = '/var/lib/docker/devicemapper/devicemapper/data';
  const hasLoopDataFile = runtime.name === 'docker' && (await ctx.root.exists(dataFile));
  if (hasLoopDataFile) evidence.push(`${dataFile} exists: devicemapper's loop-lvm data file`);
  const thinPool = runtime.storageOpts.find((o) => /^dm\.(thinpooldev|directlvm_device)=/.test(o));
  if (thinPool && !hasLoopDataFile && loopFiles.length === 0) {
    evidence.push(`direct-lvm thin pool: ${thinPool}`);
    return { status: 'WARN', evidence: [...evidence, 'devicemapper is deprecated even on a real thin pool'] };
  }
  evidence.push(
    thinPool
      ? `${thinPool} is configured but loop devices are in use`
      : 'no dm.thinpooldev storage option: devicemapper falls back to loop devices (loop-lvm)',
  );
  return { status: 'FAIL', evidence };
}
