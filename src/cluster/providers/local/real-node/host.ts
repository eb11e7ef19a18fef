import { readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exec } from '../../../../exec/index.js';

const CGROUP_ROOT = '/sys/fs/cgroup';
/** The kubelet's pod cgroup tree (cgroupfs driver, cgroupsPerQOS) in each v1 hierarchy. */
const KUBELET_CGROUP = 'kubepods';

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export async function mountsUnder(dir: string, mountinfo = '/proc/self/mountinfo'): Promise<string[]> {
  const text = await readFile(mountinfo, 'utf8').catch(() => '');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return text
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

/** /proc/self/mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(parseInt(code, 8)));
}

/** Whether the mount at `/` propagates (shared or slave): the last line for `/` in mountinfo wins (stacked mounts). */
export async function rootMountPropagates(mountinfo = '/proc/self/mountinfo'): Promise<boolean> {
  const text = await readFile(mountinfo, 'utf8').catch(() => '');
  const root = text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[4] === '/')
    .pop();
  // Optional fields sit between the mount options (field 6) and the "-" separator.
  const optional = root ? root.slice(6, root.indexOf('-')) : [];
  return optional.some((f) => f.startsWith('shared:') || f.startsWith('master:'));
}

/**
 * Makes `/` a shared mount when it is private, as systemd does at boot and kind does in its node containers:
 * pods that mount host paths with mountPropagation HostToContainer (node-exporter's view of the host) need
 * it, and runc refuses them otherwise. Only `/` itself changes (not its submounts); `marker` remembers it so
 * that delete puts it back (`restoreRootMount`).
 */
export async function shareRootMount(exec: Exec, marker: string): Promise<void> {
  if (await rootMountPropagates()) return;
  await writeFile(marker, 'mount --make-shared / was run by cncfdemo; delete runs mount --make-private /\n');
  await exec('mount', ['--make-shared', '/']);
}

export async function restoreRootMount(exec: Exec, marker: string): Promise<void> {
  if (
    !(await readFile(marker, 'utf8').then(
      () => true,
      () => false,
    ))
  )
    return;
  await exec('mount', ['--make-private', '/']);
  await rm(marker, { force: true });
}

/** Unmounts everything below `dir` (volumes, overlay snapshots, network namespaces, shm). */
export async function unmountUnder(exec: Exec, dir: string): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const mounts = await mountsUnder(dir);
    if (mounts.length === 0) return;
    for (const point of mounts) {
      await exec('umount', [point]).catch(() => exec('umount', ['-l', point]).catch(() => undefined));
    }
  }
}

async function cgroupTrees(): Promise<string[]> {
  const hierarchies = await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  const trees: string[] = [];
  for (const h of hierarchies) {
    const tree = join(CGROUP_ROOT, h, KUBELET_CGROUP);
    if (
      await readdir(tree).then(
        () => true,
        () => false,
      )
    )
      trees.push(tree);
  }
  return trees;
}

/** Every process in the kubelet's pod cgroups: containers, whatever their shim's state. */
export async function podProcesses(): Promise<number[]> {
  const pids = new Set<number>();
  const collect = async (dir: string): Promise<void> => {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const line of procs.split('\n')) if (line.trim()) pids.add(Number(line));
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) await collect(join(dir, e.name));
  };
  for (const tree of await cgroupTrees()) await collect(tree);
  return [...pids];
}

/** Kills what is left in the pod cgroups (after a crash the CRI may not have stopped them), then removes the cgroups. */
export async function removeKubeletCgroups(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = await podProcesses();
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const tree of await cgroupTrees()) await removeTree(tree);
}

/** Processes whose command line names `dir` (the node's containerd, kubelet, kube-proxy and shims). */
export async function processesUsing(dir: string): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dir)) found.push({ pid: Number(entry), command: cmdline.split('\0')[0] ?? '' });
  }
  return found;
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  await rmdir(dir).catch(() => undefined);
}

export async function cgroupLeftovers(): Promise<string[]> {
  const pods = await podProcesses();
  return [
    ...(pods.length > 0 ? [`${String(pods.length)} container process(es) in the pod cgroups`] : []),
    ...(await cgroupTrees()).map((t) => `cgroup ${t}`),
  ];
}
