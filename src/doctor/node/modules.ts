import { posix } from 'node:path';
import type { RootFs } from './rootfs.js';

/** Where systemd-modules-load reads module lists, highest precedence first. */
export const MODULES_LOAD_DIRS = [
  '/etc/modules-load.d',
  '/run/modules-load.d',
  '/usr/local/lib/modules-load.d',
  '/usr/lib/modules-load.d',
  '/lib/modules-load.d',
];

export type ModuleState =
  | { state: 'loaded'; evidence: string }
  | { state: 'builtin'; evidence: string }
  | { state: 'absent'; evidence: string };

/**
 * Whether a kernel module is present now. `probe` is a path under the root that exists only while the
 * module's code is in the kernel (br_netfilter: its sysctl; overlay: a /proc/filesystems line is checked
 * by the caller through `probe` returning a boolean).
 */
export async function moduleState(
  root: RootFs,
  name: string,
  probe: () => Promise<string | undefined>,
): Promise<ModuleState> {
  const procModules = await root.readText('/proc/modules');
  if (procModules !== undefined && procModules.split('\n').some((l) => l.split(' ')[0] === name)) {
    return { state: 'loaded', evidence: `${name} is listed in /proc/modules` };
  }
  const seen = await probe();
  if (seen !== undefined) {
    return {
      state: 'builtin',
      evidence: `${name} is built into the kernel (${seen}${procModules === undefined ? '; no /proc/modules' : ', not in /proc/modules'})`,
    };
  }
  return {
    state: 'absent',
    evidence: `${name} is not loaded (${procModules === undefined ? 'no /proc/modules' : 'not in /proc/modules'})`,
  };
}

/** Modules systemd-modules-load loads at boot, each with the file that lists it. */
export async function modulesLoadConfig(root: RootFs): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const dir of MODULES_LOAD_DIRS) {
    for (const name of await root.list(dir)) {
      if (name.endsWith('.conf') && !byName.has(name)) byName.set(name, posix.join(dir, name));
    }
  }
  const modules = new Map<string, string>();
  for (const name of [...byName.keys()].sort()) {
    const file = byName.get(name) ?? '';
    for (const raw of ((await root.readText(file)) ?? '').split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      // modprobe treats - and _ alike in module names.
      const module = (line.split(/\s+/)[0] ?? '').replaceAll('-', '_');
      if (!modules.has(module)) modules.set(module, file);
    }
  }
  return modules;
}
