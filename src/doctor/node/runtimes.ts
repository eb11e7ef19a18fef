import { parse as parseToml } from 'smol-toml';
import type { NodeHost } from './host.js';
import type { KubeletFacts, Sourced } from './kubelet.js';
import { kubeletSetting } from './kubelet.js';
import { dpkgPackages, upstreamVersion } from './packages.js';
import { parseEnvFile, parseFlags, parseUnit, splitWords } from './shell-config.js';

export type RuntimeName = 'docker' | 'containerd' | 'cri-o';

export interface RuntimeFacts {
  name: RuntimeName;
  /** Why the runtime is considered installed (binary, package, config file). */
  found: string[];
  version?: Sourced<string>;
  storageDriver: Sourced<string> & { defaulted: boolean };
  /** dockerd --storage-opt values (dm.thinpooldev=..., dm.loopdatasize=...). */
  storageOpts: string[];
  cgroupDriver: Sourced<string> & { defaulted: boolean };
  /** dockerd --selinux-enabled, with where it is set. */
  selinuxEnabled?: Sourced<boolean>;
  cniBinDirs?: Sourced<string[]>;
  cniConfDir?: Sourced<string>;
  /** Configuration that could not be read, as evidence lines. */
  problems: string[];
}

const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];
const PACKAGES: Record<RuntimeName, string[]> = {
  docker: ['docker-ce', 'docker.io', 'moby-engine', 'docker-engine'],
  containerd: ['containerd.io', 'containerd'],
  'cri-o': ['cri-o'],
};
const BINARIES: Record<RuntimeName, string[]> = {
  // The daemon, not the `docker` client (which is often installed alone).
  docker: ['dockerd', 'dockerd-current'],
  containerd: ['containerd'],
  'cri-o': ['crio'],
};

/** Every container runtime installed under the root, with the settings the doctor checks care about. */
export async function readRuntimes(ctx: NodeHost): Promise<RuntimeFacts[]> {
  const packages = await dpkgPackages(ctx.root);
  const cgroupV2 = await ctx.root.exists('/sys/fs/cgroup/cgroup.controllers');
  const all = await Promise.all([docker(ctx, cgroupV2), containerd(ctx), crio(ctx)]);
  const installed: RuntimeFacts[] = [];
  for (const facts of all) {
    const pkg = PACKAGES[facts.name].find((p) => packages.has(p));
    if (pkg) facts.found.push(`dpkg package ${pkg} ${packages.get(pkg) ?? ''}`);
    let binary: string | undefined;
    for (const name of BINARIES[facts.name]) {
      binary ??= await ctx.root.which(name, ctx.data.binaries.path);
    }
    if (binary) facts.found.push(`binary ${binary}`);
    if (facts.found.length === 0) continue;
    const version = await runtimeVersion(ctx, facts.name, pkg ? packages.get(pkg) : undefined, pkg, binary);
    if (version) facts.version = version;
    installed.push(facts);
  }
  return installed;
}

/**
 * The runtime(s) the kubelet talks to: the one its --container-runtime-endpoint names, else the only
 * runtime installed, else all of them (each is then checked).
 */
export function servingRuntimes(runtimes: readonly RuntimeFacts[], kubelet: KubeletFacts): RuntimeFacts[] {
  const endpoint =
    kubeletSetting(kubelet, 'container-runtime-endpoint', 'containerRuntimeEndpoint')?.value ?? '';
  const legacy = kubelet.flags.get('container-runtime')?.at(-1);
  const wanted: RuntimeName | undefined = /cri-dockerd|dockershim/.test(endpoint)
    ? 'docker'
    : /containerd/.test(endpoint)
      ? 'containerd'
      : /crio/.test(endpoint)
        ? 'cri-o'
        : legacy === 'docker'
          ? 'docker'
          : undefined;
  if (wanted) return runtimes.filter((r) => r.name === wanted);
  return [...runtimes];
}

async function docker(ctx: NodeHost, cgroupV2: boolean): Promise<RuntimeFacts> {
  const { root } = ctx;
  const found: string[] = [];
  const problems: string[] = [];
  let daemon: Record<string, unknown> = {};
  const daemonText = await root.readText('/etc/docker/daemon.json');
  if (daemonText !== undefined) {
    found.push('/etc/docker/daemon.json');
    try {
      daemon = JSON.parse(daemonText) as Record<string, unknown>;
    } catch (err) {
      problems.push(`/etc/docker/daemon.json is not valid JSON: ${(err as Error).message}`);
    }
  }
  // (file, words) pairs so each setting can name where it came from.
  const sources: { file: string; words: string[] }[] = [];
  for (const [file, keys] of [
    ['/etc/sysconfig/docker', ['OPTIONS']],
    ['/etc/sysconfig/docker-storage', ['DOCKER_STORAGE_OPTIONS']],
    ['/etc/default/docker', ['DOCKER_OPTS']],
  ] as const) {
    const text = await root.readText(file);
    if (text === undefined) continue;
    found.push(file);
    const vars = parseEnvFile(text);
    sources.push({ file, words: keys.flatMap((k) => splitWords(vars.get(k) ?? '')) });
  }
  for (const file of await unitFiles(ctx, 'docker.service')) {
    const unit = parseUnit((await root.readText(file)) ?? '');
    const words = unit.execStart.flatMap((line) => splitWords(line)).filter((w) => !w.startsWith('$'));
    if (words.some((w) => w.startsWith('-'))) sources.push({ file, words });
  }
  const flag = (name: string): Sourced<string> | undefined => {
    for (const s of sources) {
      const v = parseFlags(s.words, { '-s': 'storage-driver' }).get(name)?.at(-1);
      if (v !== undefined) return { value: v, source: `--${name} in ${s.file}` };
    }
    return undefined;
  };
  const allFlag = (name: string): string[] => sources.flatMap((s) => parseFlags(s.words).get(name) ?? []);

  const storageOpts = [...allFlag('storage-opt'), ...stringList(daemon['storage-opts'])];
  const configured =
    flag('storage-driver') ??
    (typeof daemon['storage-driver'] === 'string'
      ? { value: daemon['storage-driver'], source: '"storage-driver" in /etc/docker/daemon.json' }
      : undefined);
  let storageDriver: RuntimeFacts['storageDriver'];
  if (configured) storageDriver = { ...configured, defaulted: false };
  else {
    const inUse = await dockerStateDriver(ctx);
    storageDriver = inUse
      ? {
          value: inUse,
          source: `not configured; /var/lib/docker/${inUse} holds dockerd's existing storage`,
          defaulted: true,
        }
      : {
          value: 'overlay2',
          source: "not configured; dockerd's default on current releases",
          defaulted: true,
        };
  }

  const execOpts = [...allFlag('exec-opt'), ...stringList(daemon['exec-opts'])];
  const cgroupOpt = execOpts
    .map((o) => /^native\.cgroupdriver=(.+)$/.exec(o)?.[1])
    .find((v) => v !== undefined);
  const cgroupDriver: RuntimeFacts['cgroupDriver'] = cgroupOpt
    ? { value: cgroupOpt, source: 'exec-opt native.cgroupdriver', defaulted: false }
    : {
        value: cgroupV2 ? 'systemd' : 'cgroupfs',
        source: `not configured; dockerd's default on a cgroup ${cgroupV2 ? 'v2' : 'v1'} host`,
        defaulted: true,
      };

  const selinuxFlag = flag('selinux-enabled');
  const facts: RuntimeFacts = { name: 'docker', found, storageDriver, storageOpts, cgroupDriver, problems };
  if (selinuxFlag)
    facts.selinuxEnabled = { value: selinuxFlag.value !== 'false', source: selinuxFlag.source };
  else if (typeof daemon['selinux-enabled'] === 'boolean') {
    facts.selinuxEnabled = {
      value: daemon['selinux-enabled'],
      source: '"selinux-enabled" in /etc/docker/daemon.json',
    };
  }
  return facts;
}

/** dockerd keeps using the driver whose state directory already exists. */
async function dockerStateDriver(ctx: NodeHost): Promise<string | undefined> {
  const drivers = ['overlay2', 'overlay', 'devicemapper', 'aufs', 'btrfs', 'zfs', 'fuse-overlayfs', 'vfs'];
  const present = new Set(await ctx.root.list('/var/lib/docker'));
  return drivers.find((d) => present.has(d));
}

type Toml = Record<string, unknown>;

async function containerd(ctx: NodeHost): Promise<RuntimeFacts> {
  const file = '/etc/containerd/config.toml';
  const text = await ctx.root.readText(file);
  const found = text === undefined ? [] : [file];
  const problems: string[] = [];
  let config: Toml = {};
  if (text !== undefined) {
    try {
      config = parseToml(text);
    } catch (err) {
      problems.push(`${file} is not valid TOML: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  const plugins = table(config.plugins);
  const version = typeof config.version === 'number' ? config.version : 1;
  // Config version 3 (containerd 2.x) split the CRI plugin; versions 1 and 2 keep it in one table.
  const criRuntime =
    version >= 3
      ? table(plugins['io.containerd.cri.v1.runtime'])
      : table(plugins['io.containerd.grpc.v1.cri'] ?? plugins.cri);
  const criImages =
    version >= 3 ? table(plugins['io.containerd.cri.v1.images']) : table(criRuntime.containerd);
  const defaultRuntime = table(criRuntime.containerd).default_runtime_name;
  const runtimeName = typeof defaultRuntime === 'string' ? defaultRuntime : 'runc';
  const runcOptions = table(table(table(table(criRuntime.containerd).runtimes)[runtimeName]).options);

  const snapshotter = typeof criImages.snapshotter === 'string' ? criImages.snapshotter : undefined;
  const storageDriver = snapshotter
    ? { value: snapshotter, source: `snapshotter in ${file}`, defaulted: false }
    : { value: 'overlayfs', source: "not configured; containerd's default snapshotter", defaulted: true };
  const systemd = runcOptions.SystemdCgroup;
  const cgroupDriver =
    typeof systemd === 'boolean'
      ? {
          value: systemd ? 'systemd' : 'cgroupfs',
          source: `SystemdCgroup = ${systemd} for runtime "${runtimeName}" in ${file}`,
          defaulted: false,
        }
      : {
          value: 'cgroupfs',
          source: `SystemdCgroup not set for runtime "${runtimeName}"; containerd's default`,
          defaulted: true,
        };

  const disabled = stringList(config.disabled_plugins);
  if (
    disabled.some(
      (p) => p === 'cri' || p.startsWith('io.containerd.grpc.v1.cri') || p.startsWith('io.containerd.cri.v1'),
    )
  ) {
    problems.push(
      `${file} disables the CRI plugin (disabled_plugins = ${JSON.stringify(disabled)}): the kubelet cannot use this containerd`,
    );
  }
  const cni = table(criRuntime.cni);
  const binDirs = Array.isArray(cni.bin_dirs)
    ? stringList(cni.bin_dirs)
    : typeof cni.bin_dir === 'string'
      ? [cni.bin_dir]
      : undefined;
  const facts: RuntimeFacts = {
    name: 'containerd',
    found,
    storageDriver,
    storageOpts: [],
    cgroupDriver,
    problems,
  };
  if (binDirs) facts.cniBinDirs = { value: binDirs, source: `cni bin dir in ${file}` };
  if (typeof cni.conf_dir === 'string')
    facts.cniConfDir = { value: cni.conf_dir, source: `cni conf_dir in ${file}` };
  return facts;
}

async function crio(ctx: NodeHost): Promise<RuntimeFacts> {
  const files = [
    '/etc/crio/crio.conf',
    ...(await ctx.root.list('/etc/crio/crio.conf.d')).map((n) => `/etc/crio/crio.conf.d/${n}`),
  ];
  const found: string[] = [];
  const problems: string[] = [];
  let storage: Sourced<string> | undefined;
  let cgroup: Sourced<string> | undefined;
  const storageConf = await ctx.root.readText('/etc/containers/storage.conf');
  if (storageConf !== undefined) {
    try {
      const driver = table(parseToml(storageConf).storage).driver;
      if (typeof driver === 'string')
        storage = { value: driver, source: 'driver in /etc/containers/storage.conf' };
    } catch {
      problems.push('/etc/containers/storage.conf is not valid TOML');
    }
  }
  for (const file of files) {
    const text = await ctx.root.readText(file);
    if (text === undefined) continue;
    found.push(file);
    try {
      const conf = table(parseToml(text).crio);
      if (typeof conf.storage_driver === 'string')
        storage = { value: conf.storage_driver, source: `storage_driver in ${file}` };
      const manager = table(conf.runtime).cgroup_manager;
      if (typeof manager === 'string') cgroup = { value: manager, source: `cgroup_manager in ${file}` };
    } catch {
      problems.push(`${file} is not valid TOML`);
    }
  }
  return {
    name: 'cri-o',
    found,
    storageDriver: storage
      ? { ...storage, defaulted: false }
      : { value: 'overlay', source: "not configured; CRI-O's default", defaulted: true },
    storageOpts: [],
    cgroupDriver: cgroup
      ? { ...cgroup, defaulted: false }
      : { value: 'systemd', source: "cgroup_manager not set; CRI-O's default", defaulted: true },
    problems,
  };
}

async function runtimeVersion(
  ctx: NodeHost,
  name: RuntimeName,
  pkgVersion: string | undefined,
  pkg: string | undefined,
  binary: string | undefined,
): Promise<Sourced<string> | undefined> {
  const fromPkg = pkgVersion ? upstreamVersion(pkgVersion) : undefined;
  if (fromPkg) return { value: fromPkg, source: `dpkg package ${pkg ?? name} ${pkgVersion ?? ''}` };
  if (!ctx.live || !binary) return undefined;
  try {
    const { stdout } = await ctx.exec(binary, ['--version']);
    // containerd prints "containerd <module> v2.1.4 <commit>": skip the module path's own version.
    const line = stdout.trim().split('\n')[0] ?? '';
    const words = line.split(/\s+/);
    const versionWord = name === 'containerd' ? (words.find((w) => /^v?\d+\.\d+/.test(w)) ?? line) : line;
    const v = upstreamVersion(versionWord);
    return v ? { value: v, source: `${binary} --version: ${line}` } : undefined;
  } catch {
    return undefined;
  }
}

async function unitFiles(ctx: NodeHost, unit: string): Promise<string[]> {
  const files: string[] = [];
  for (const dir of UNIT_DIRS) {
    if (await ctx.root.exists(`${dir}/${unit}`)) files.push(`${dir}/${unit}`);
    for (const n of await ctx.root.list(`${dir}/${unit}.d`))
      if (n.endsWith('.conf')) files.push(`${dir}/${unit}.d/${n}`);
  }
  return files;
}

function table(value: unknown): Toml {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Toml) : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
