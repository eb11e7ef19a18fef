import { join } from 'node:path';
import { cacheDir } from '../../../config/paths.js';
import type { Exec } from '../../../exec/index.js';
import type { Logger } from '../../../log/logger.js';
import {
  ensureTools,
  formatInstallEvent,
  pinnedVersion,
  setDir,
  type BinarySet,
  type SetRequest,
} from '../../../toolchain/index.js';

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
  /** kwok's default stage definitions (YAML files) of the pinned kwok release. */
  kwokStages: string;
}

export async function pinnedVersions(root?: string): Promise<ToolchainVersions> {
  const pin = (set: BinarySet): Promise<string> => pinnedVersion(set, root);
  const [kubernetes, etcd, kwok, metricsServer, criTools] = await Promise.all([
    pin('kubernetes'),
    pin('etcd'),
    pin('kwok'),
    pin('metrics-server'),
    pin('cri-tools'),
  ]);
  return { kubernetes, etcd, kwok, metricsServer, criTools };
}

/** What the control plane needs of each set (paths in the set's cache folder). */
function controlPlaneRequests(v: ToolchainVersions): SetRequest[] {
  return [
    {
      set: 'kubernetes',
      version: v.kubernetes,
      files: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
    },
    { set: 'etcd', version: v.etcd, files: ['etcd'] },
    { set: 'kwok', version: v.kwok, files: ['kwok', 'kwokctl', 'stages'] },
    { set: 'metrics-server', version: v.metricsServer, files: ['metrics-server'] },
  ];
}

function nodeRequests(v: ToolchainVersions): SetRequest[] {
  return [
    { set: 'kubernetes', version: v.kubernetes, files: ['kubelet', 'kube-proxy'] },
    { set: 'cri-tools', version: v.criTools, files: ['crictl'] },
  ];
}

export function binaryPaths(versions: ToolchainVersions, cache: string): ToolchainBinaries {
  const k8s = (name: string): string => join(setDir(cache, 'kubernetes', versions.kubernetes), name);
  const kwok = (name: string): string => join(setDir(cache, 'kwok', versions.kwok), name);
  return {
    kubeApiserver: k8s('kube-apiserver'),
    kubeControllerManager: k8s('kube-controller-manager'),
    kubeScheduler: k8s('kube-scheduler'),
    kubectl: k8s('kubectl'),
    etcd: join(setDir(cache, 'etcd', versions.etcd), 'etcd'),
    kwok: kwok('kwok'),
    kwokctl: kwok('kwokctl'),
    metricsServer: join(setDir(cache, 'metrics-server', versions.metricsServer), 'metrics-server'),
    kwokStages: kwok('stages'),
  };
}

/** What a real node runs besides the control plane; installed only when a real node is asked for. */
export interface NodeBinaries {
  kubelet: string;
  kubeProxy: string;
  crictl: string;
}

export function nodeBinaryPaths(versions: ToolchainVersions, cache: string): NodeBinaries {
  const k8s = (name: string): string => join(setDir(cache, 'kubernetes', versions.kubernetes), name);
  return {
    kubelet: k8s('kubelet'),
    kubeProxy: k8s('kube-proxy'),
    crictl: join(setDir(cache, 'cri-tools', versions.criTools), 'crictl'),
  };
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  /** Gets one line per binary downloaded or built. */
  logger?: Logger;
}

function install(requests: SetRequest[], options: EnsureOptions): Promise<string[]> {
  const { logger } = options;
  return ensureTools(requests, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.exec ? { exec: options.exec } : {}),
    ...(logger
      ? {
          onProgress: (event) => {
            logger.info(formatInstallEvent(event));
          },
        }
      : {}),
  });
}

/**
 * Returns the control plane's binaries, installing the missing ones into the cache first: downloaded from
 * their pinned releases (data/releases.yaml), or built from the pinned modules (src/toolchain/).
 */
export async function ensureBinaries(options: EnsureOptions = {}): Promise<ToolchainBinaries> {
  const versions = await pinnedVersions();
  await install(controlPlaneRequests(versions), options);
  return binaryPaths(versions, cacheDir(options.env ?? process.env));
}

/** The real node's binaries (kubelet, kube-proxy, crictl), installed on first use like the control plane's. */
export async function ensureNodeBinaries(options: EnsureOptions = {}): Promise<NodeBinaries> {
  const versions = await pinnedVersions();
  await install(nodeRequests(versions), options);
  return nodeBinaryPaths(versions, cacheDir(options.env ?? process.env));
}
