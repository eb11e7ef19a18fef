import { noKubelet } from './reasons.js';
import { posix } from 'node:path';
import { kubeletInstalled } from '../node/kubelet.js';
import type { NodeCheck, NodeContext } from '../types.js';
import { fail, pass, skip } from '../types.js';

const REMEDIATION =
  'Install the CNI plugins release (containernetworking/plugins) into the CNI bin directory: at least the loopback ' +
  'plugin ("lo" in early releases) and every plugin your network configuration names; the network add-on writes ' +
  'its configuration to the CNI config directory.';
const LOOPBACK = ['loopback', 'lo'];

export const cniCheck: NodeCheck = {
  id: 'cni',
  title: 'CNI plugins (loopback + configured plugin) and a network config are installed',
  area: 'network',
  scope: 'node',
  needs: ['root'],
  async run(ctx) {
    const kubelet = await ctx.kubelet();
    if (!kubeletInstalled(kubelet)) {
      return skip(`${noKubelet(ctx)}: CNI is set up when a node joins`);
    }
    const { binDirs, confDir } = await cniDirs(ctx);
    const evidence = [
      `CNI bin dirs: ${binDirs.value.join(', ')} (${binDirs.source})`,
      `CNI config dir: ${confDir.value} (${confDir.source})`,
    ];
    const existing: string[] = [];
    for (const dir of binDirs.value) if (await ctx.root.isDirectory(dir)) existing.push(dir);
    if (existing.length === 0) return fail([...evidence, 'no CNI bin dir exists'], REMEDIATION);
    const plugin = async (name: string): Promise<string | undefined> => ctx.root.which(name, existing);

    const problems: string[] = [];
    const lo = (await plugin('loopback')) ?? (await plugin('lo'));
    if (lo) evidence.push(`loopback plugin: ${lo}`);
    else problems.push(`no loopback plugin (${LOOPBACK.join(' or ')}) in ${existing.join(', ')}`);

    const configs = (await ctx.root.list(confDir.value)).filter((n) => /\.(conf|conflist|json)$/.test(n));
    if (configs.length === 0) {
      problems.push(
        `no network configuration (*.conf, *.conflist, *.json) in ${confDir.value}: the node stays NotReady`,
      );
    } else {
      // Like the CNI libraries, the runtime uses the first configuration in lexical order.
      const first = posix.join(confDir.value, configs[0] ?? '');
      const types = pluginTypes((await ctx.root.readText(first)) ?? '');
      if (types === undefined)
        problems.push(`${first} is not a valid CNI configuration (JSON with "type" or "plugins")`);
      else {
        evidence.push(`${first} uses plugin(s): ${types.join(', ')}`);
        for (const type of types) {
          const found = await plugin(type);
          if (found) evidence.push(`plugin ${type}: ${found}`);
          else problems.push(`configured plugin "${type}" is not in ${existing.join(', ')}`);
        }
      }
    }
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems], REMEDIATION);
  },
};

async function cniDirs(
  ctx: NodeContext,
): Promise<{ binDirs: { value: string[]; source: string }; confDir: { value: string; source: string } }> {
  const containerd = (await ctx.runtimes()).find((r) => r.name === 'containerd');
  const kubelet = await ctx.kubelet();
  const binFlag = kubelet.flags.get('cni-bin-dir')?.at(-1);
  const confFlag = kubelet.flags.get('cni-conf-dir')?.at(-1);
  const binDirs =
    containerd?.cniBinDirs ??
    (binFlag
      ? { value: binFlag.split(','), source: 'kubelet --cni-bin-dir' }
      : { value: ['/opt/cni/bin'], source: 'default' });
  const confDir =
    containerd?.cniConfDir ??
    (confFlag
      ? { value: confFlag, source: 'kubelet --cni-conf-dir' }
      : { value: '/etc/cni/net.d', source: 'default' });
  return { binDirs, confDir };
}

/** Plugin types of a .conf (one "type") or .conflist ("plugins": [...]); undefined when unparsable. */
export function pluginTypes(text: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const conf = parsed as { type?: unknown; plugins?: unknown };
  if (Array.isArray(conf.plugins)) {
    const types = (conf.plugins as unknown[])
      .map((p) => (p as { type?: unknown } | null)?.type)
      .filter((t): t is string => typeof t === 'string');
    return types.length > 0 ? types : undefined;
  }
  return typeof conf.type === 'string' ? [conf.type] : undefined;
}
