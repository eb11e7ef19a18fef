import type { RootFs } from './rootfs.js';

/** Installed Debian packages and their versions, from <root>/var/lib/dpkg/status (empty on other distributions). */
export async function dpkgPackages(root: RootFs): Promise<Map<string, string>> {
  const text = (await root.readText('/var/lib/dpkg/status')) ?? '';
  const installed = new Map<string, string>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const name = field('Package');
    const version = field('Version');
    if (name && version && /install ok installed/.test(field('Status') ?? '')) installed.set(name, version);
  }
  return installed;
}

/** The upstream x.y.z in a package or `--version` string ("5:27.3.1-1~debian.12", "v2.1.4", "1.12.6-71.git3e8e77d.el7"). */
export function upstreamVersion(text: string): string | undefined {
  const withoutEpoch = text.replace(/^\d+:/, '');
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(withoutEpoch);
  if (!match) return undefined;
  return `${Number(match[1])}.${Number(match[2])}.${Number(match[3] ?? 0)}`;
}
