import type { Exec } from '../../exec/index.js';
import type { DoctorData } from '../data.js';
import type { NodeContext } from '../types.js';
import { type KubeletFacts, readKubelet } from './kubelet.js';
import { RootFs } from './rootfs.js';
import { readRuntimes, type RuntimeFacts } from './runtimes.js';

export function nodeContext(rootPath: string, exec: Exec, data: DoctorData): NodeContext {
  const root = new RootFs(rootPath);
  let kubelet: Promise<KubeletFacts> | undefined;
  let runtimes: Promise<RuntimeFacts[]> | undefined;
  const ctx: NodeContext = {
    root,
    live: root.path === '/',
    exec,
    data,
    kubelet: () => (kubelet ??= readKubelet(ctx)),
    runtimes: () => (runtimes ??= readRuntimes(ctx)),
  };
  return ctx;
}

/** Loop devices and the files behind them, from <root>/sys/block/loop*\/loop/backing_file. */
export async function loopBackingFiles(root: RootFs): Promise<{ device: string; file: string }[]> {
  const out: { device: string; file: string }[] = [];
  for (const device of await root.list('/sys/block')) {
    if (!device.startsWith('loop')) continue;
    const file = (await root.readText(`/sys/block/${device}/loop/backing_file`))?.trim();
    if (file) out.push({ device, file });
  }
  return out;
}
