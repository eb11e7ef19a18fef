/**
 * The pinned version of each binary set, read from its wrapper Go module under toolchain/ (the single source
 * of truth: the build uses that module, a download must be of the same version).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';

/** Each binary set (a cache folder `<set>-<version>`) and the module whose go.mod pins its version. */
export const TOOLCHAIN_MODULES = {
  kubernetes: { dir: 'kubernetes', module: 'k8s.io/kubernetes' },
  etcd: { dir: 'etcd', module: 'go.etcd.io/etcd/server/v3' },
  kwok: { dir: 'kwok', module: 'sigs.k8s.io/kwok' },
  'metrics-server': { dir: 'metrics-server', module: 'sigs.k8s.io/metrics-server' },
  'cri-tools': { dir: 'cri-tools', module: 'sigs.k8s.io/cri-tools' },
  k6: { dir: 'k6', module: 'go.k6.io/k6' },
  promtool: { dir: 'prometheus', module: 'github.com/prometheus/prometheus' },
} as const satisfies Record<string, { dir: string; module: string }>;

export type BinarySet = keyof typeof TOOLCHAIN_MODULES;

/** The version go.mod text requires of `module` (single-line or block require), if any. */
export function requiredVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
}

/** The version toolchain/<dir>/go.mod pins for `set`. */
export async function pinnedVersion(set: BinarySet, root = packageRoot): Promise<string> {
  const { dir, module } = TOOLCHAIN_MODULES[set];
  const version = requiredVersion(await readFile(join(root, 'toolchain', dir, 'go.mod'), 'utf8'), module);
  if (!version) throw new Error(`toolchain/${dir}/go.mod does not require ${module}`);
  return version;
}
