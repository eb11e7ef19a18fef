import { parse } from 'yaml';
import type { NodeHost } from './host.js';
import { dpkgPackages, upstreamVersion } from './packages.js';
import { parseEnvFile, parseFlags, parseUnit, splitWords } from './shell-config.js';

/** Files the kubelet's flags come from, across kubeadm, distribution packages and the seeds' era. */
const FLAG_FILES = [
  '/var/lib/kubelet/kubeadm-flags.env',
  '/etc/default/kubelet',
  '/etc/sysconfig/kubelet',
  '/etc/kubernetes/kubelet',
];
const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];
const DEFAULT_CONFIG = '/var/lib/kubelet/config.yaml';

export interface Sourced<T> {
  value: T;
  source: string;
}

export interface KubeletFacts {
  binary?: string;
  version?: Sourced<string>;
  configFile?: string;
  config: Record<string, unknown>;
  flags: Map<string, string[]>;
  /** Files that contributed flags. */
  flagFiles: string[];
}

export function kubeletInstalled(k: KubeletFacts): boolean {
  return k.binary !== undefined || k.configFile !== undefined || k.version !== undefined;
}

/** A setting from the kubelet's command line (which wins) or its config file. */
export function kubeletSetting(
  k: KubeletFacts,
  flag: string,
  configKey: string,
): Sourced<string> | undefined {
  const fromFlag = k.flags.get(flag)?.at(-1);
  if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag} (${k.flagFiles.join(', ')})` };
  const fromConfig = k.config[configKey];
  if (
    (typeof fromConfig === 'string' || typeof fromConfig === 'boolean' || typeof fromConfig === 'number') &&
    k.configFile
  )
    return { value: String(fromConfig), source: `${configKey} in ${k.configFile}` };
  return undefined;
}

export async function readKubelet(ctx: NodeHost): Promise<KubeletFacts> {
  const { root } = ctx;
  const words: string[] = [];
  const flagFiles: string[] = [];
  for (const file of FLAG_FILES) {
    const text = await root.readText(file);
    if (text === undefined) continue;
    flagFiles.push(file);
    for (const value of parseEnvFile(text).values()) words.push(...splitWords(value));
  }
  for (const dir of UNIT_DIRS) {
    for (const file of [
      `${dir}/kubelet.service`,
      ...(await root.list(`${dir}/kubelet.service.d`)).map((n) => `${dir}/kubelet.service.d/${n}`),
    ]) {
      const text = await root.readText(file);
      if (text === undefined) continue;
      const unit = parseUnit(text);
      const unitWords = [
        ...unit.execStart.flatMap((l) => splitWords(l)),
        ...[...unit.environment.values()].flatMap((v) => splitWords(v)),
      ];
      if (unitWords.some((w) => w.startsWith('--'))) flagFiles.push(file);
      words.push(...unitWords);
    }
  }
  const flags = parseFlags(words);
  const configFile =
    flags.get('config')?.at(-1) ?? ((await root.exists(DEFAULT_CONFIG)) ? DEFAULT_CONFIG : undefined);
  let config: Record<string, unknown> = {};
  if (configFile) {
    const parsed: unknown = parse((await root.readText(configFile)) ?? '');
    if (typeof parsed === 'object' && parsed !== null) config = parsed as Record<string, unknown>;
  }
  const binary = await root.which('kubelet', ctx.data.binaries.path);
  const facts: KubeletFacts = {
    config,
    flags,
    flagFiles,
    ...(binary ? { binary } : {}),
    ...(configFile ? { configFile } : {}),
  };
  const version = await kubeletVersion(ctx, binary);
  if (version) facts.version = version;
  return facts;
}

async function kubeletVersion(
  ctx: NodeHost,
  binary: string | undefined,
): Promise<Sourced<string> | undefined> {
  const pkg = (await dpkgPackages(ctx.root)).get('kubelet');
  const fromPkg = pkg ? upstreamVersion(pkg) : undefined;
  if (fromPkg) return { value: fromPkg, source: `dpkg package kubelet ${pkg ?? ''}` };
  if (ctx.live && binary) {
    try {
      const { stdout } = await ctx.exec(binary, ['--version']);
      const v = upstreamVersion(stdout);
      if (v) return { value: v, source: `${binary} --version: ${stdout.trim()}` };
    } catch {
      // an unrunnable kubelet is reported by the checks that need its version
    }
  }
  return undefined;
}
