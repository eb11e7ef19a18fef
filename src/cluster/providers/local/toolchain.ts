import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../errors/index.js';
import { exec as defaultExec, which, type Exec } from '../../../exec/index.js';
import { cacheDir, packageRoot } from '../../../config/paths.js';
import type { Logger } from '../../../log/logger.js';

/** The pinned versions, read from the wrapper Go modules under toolchain/ (the single source of truth). */
export interface ToolchainVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
  metricsServer: string;
  criTools: string;
}

export interface ToolchainBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  kwok: string;
  kwokctl: string;
  metricsServer: string;
  /** kwok's default stage definitions (YAML files), taken from the pinned kwok module at build time. */
  kwokStages: string;
}

const MODULES: Record<keyof ToolchainVersions, { dir: string; module: string }> = {
  kubernetes: { dir: 'kubernetes', module: 'k8s.io/kubernetes' },
  etcd: { dir: 'etcd', module: 'go.etcd.io/etcd/server/v3' },
  kwok: { dir: 'kwok', module: 'sigs.k8s.io/kwok' },
  metricsServer: { dir: 'metrics-server', module: 'sigs.k8s.io/metrics-server' },
  criTools: { dir: 'cri-tools', module: 'sigs.k8s.io/cri-tools' },
};

export function requiredVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
}

export async function pinnedVersions(root = packageRoot): Promise<ToolchainVersions> {
  const entries = await Promise.all(
    Object.entries(MODULES).map(async ([key, { dir, module }]) => {
      const goMod = await readFile(join(root, 'toolchain', dir, 'go.mod'), 'utf8');
      const version = requiredVersion(goMod, module);
      if (!version) throw new Error(`toolchain/${dir}/go.mod does not require ${module}`);
      return [key, version] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as ToolchainVersions;
}

export function binaryPaths(versions: ToolchainVersions, cache: string): ToolchainBinaries {
  const bin = (set: string, version: string, name: string): string =>
    join(cache, 'bin', `${set}-${version}`, name);
  const k8s = (name: string): string => bin('kubernetes', versions.kubernetes, name);
  return {
    kubeApiserver: k8s('kube-apiserver'),
    kubeControllerManager: k8s('kube-controller-manager'),
    kubeScheduler: k8s('kube-scheduler'),
    kubectl: k8s('kubectl'),
    etcd: bin('etcd', versions.etcd, 'etcd'),
    kwok: bin('kwok', versions.kwok, 'kwok'),
    kwokctl: bin('kwok', versions.kwok, 'kwokctl'),
    metricsServer: bin('metrics-server', versions.metricsServer, 'metrics-server'),
    kwokStages: bin('kwok', versions.kwok, 'stages'),
  };
}

/** What a real node runs besides the control plane; built only when a real node is asked for. */
export interface NodeBinaries {
  kubelet: string;
  kubeProxy: string;
  crictl: string;
}

export function nodeBinaryPaths(versions: ToolchainVersions, cache: string): NodeBinaries {
  const k8s = (name: string): string => join(cache, 'bin', `kubernetes-${versions.kubernetes}`, name);
  return {
    kubelet: k8s('kubelet'),
    kubeProxy: k8s('kube-proxy'),
    crictl: join(cache, 'bin', `cri-tools-${versions.criTools}`, 'crictl'),
  };
}

async function missing(paths: ToolchainBinaries | NodeBinaries): Promise<string[]> {
  const checks = await Promise.all(
    (Object.values(paths) as string[]).map(async (p) => {
      try {
        await access(p, constants.X_OK);
        return undefined;
      } catch {
        return p;
      }
    }),
  );
  return checks.filter((p): p is string => p !== undefined);
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  logger?: Logger;
  onOutput?: (chunk: string) => void;
}

/** Returns the binaries' paths, building the missing ones (once, into the cache) with the repo's script. */
export async function ensureBinaries(options: EnsureOptions = {}): Promise<ToolchainBinaries> {
  const env = options.env ?? process.env;
  return ensureSet(binaryPaths(await pinnedVersions(), cacheDir(env)), [], options);
}

/** The real node's binaries (kubelet, kube-proxy, crictl), built on first use like the control plane's. */
export async function ensureNodeBinaries(options: EnsureOptions = {}): Promise<NodeBinaries> {
  const env = options.env ?? process.env;
  return ensureSet(nodeBinaryPaths(await pinnedVersions(), cacheDir(env)), ['--node'], options);
}

async function ensureSet<T extends ToolchainBinaries | NodeBinaries>(
  paths: T,
  scriptArgs: readonly string[],
  options: EnsureOptions,
): Promise<T> {
  const env = options.env ?? process.env;
  const absent = await missing(paths);
  if (absent.length === 0) return paths;
  if (!(await which('go', env.PATH))) {
    throw new UserError(
      `the local cluster's binaries are not built yet and the Go toolchain is not on PATH (missing: ${absent.length} binaries)`,
      'install Go >= 1.25 (https://go.dev/doc/install) or put it on PATH, then retry',
    );
  }
  options.logger?.info(
    'building the local cluster binaries once (kube-apiserver, etcd, kwok, ...); this takes a while',
  );
  await (options.exec ?? defaultExec)(
    'bash',
    [join(packageRoot, 'scripts', 'build-binaries.sh'), ...scriptArgs],
    {
      env,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    },
  );
  const still = await missing(paths);
  if (still.length > 0)
    throw new Error(`the build finished but these binaries are missing: ${still.join(', ')}`);
  return paths;
}
