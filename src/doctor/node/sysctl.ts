import { posix } from 'node:path';
import type { RootFs } from './rootfs.js';

/** Where systemd-sysctl reads drop-ins, highest precedence first; a name in an earlier directory masks later ones. */
export const SYSCTL_DIRS = [
  '/etc/sysctl.d',
  '/run/sysctl.d',
  '/usr/local/lib/sysctl.d',
  '/usr/lib/sysctl.d',
  '/lib/sysctl.d',
];

export interface SysctlSetting {
  value: string;
  /** The file (inside the root) whose assignment wins. */
  file: string;
}

/** The running kernel's value of a parameter, from <root>/proc/sys; undefined when the key does not exist. */
export async function liveSysctl(root: RootFs, key: string): Promise<string | undefined> {
  return (await root.readText(`/proc/sys/${key.replaceAll('.', '/')}`))?.trim();
}

/**
 * The values systemd-sysctl applies at boot and, through udev, whenever a module such as br_netfilter
 * loads: every *.conf in SYSCTL_DIRS, ordered by file name, the last assignment winning.
 * /etc/sysctl.conf is not among them unless a sysctl.d entry links to it (99-sysctl.conf).
 */
export async function persistedSysctls(root: RootFs): Promise<Map<string, SysctlSetting>> {
  const byName = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) {
    for (const name of await root.list(dir)) {
      if (name.endsWith('.conf') && !byName.has(name)) byName.set(name, posix.join(dir, name));
    }
  }
  const settings = new Map<string, SysctlSetting>();
  for (const name of [...byName.keys()].sort()) {
    const file = byName.get(name) ?? '';
    const text = await root.readText(file);
    if (text === undefined) continue;
    for (const [key, value] of parseSysctlFile(text)) settings.set(key, { value, file });
  }
  return settings;
}

/** Assignments in /etc/sysctl.conf, which only `sysctl -p` / `sysctl --system` read. */
export async function sysctlConf(root: RootFs): Promise<Map<string, string>> {
  return parseSysctlFile((await root.readText('/etc/sysctl.conf')) ?? '');
}

export function parseSysctlFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().replace(/^-/, '').replaceAll('/', '.');
    values.set(key, line.slice(eq + 1).trim());
  }
  return values;
}
