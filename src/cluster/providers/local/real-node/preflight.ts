import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../../errors/index.js';
import type { Exec } from '../../../../exec/index.js';
import { which } from '../../../../exec/index.js';
import { loadDoctorData } from '../../../../doctor/data.js';
import { nodeContext } from '../../../../doctor/node/context.js';
import { findCheck } from '../../../../doctor/registry.js';
import { runChecks } from '../../../../doctor/run.js';
import type { Check } from '../../../../doctor/types.js';
import { CNI_BIN_DIR } from './containerd.js';

/** The doctor node checks a real node cannot run without: the post-mortem's pitfalls, caught before anything starts. */
export const PREFLIGHT_CHECKS = [
  'overlay-module',
  'br-netfilter',
  'bridge-nf-call',
  'ip-forward',
  'binaries',
] as const;

/** Programs from the host the real node runs, with the Debian package that has each. */
const HOST_PROGRAMS = [
  { name: 'containerd', pkg: 'containerd' },
  { name: 'containerd-shim-runc-v2', pkg: 'containerd' },
  { name: 'runc', pkg: 'runc' },
  { name: 'iptables', pkg: 'iptables' },
  { name: 'ip', pkg: 'iproute2' },
  { name: 'openssl', pkg: 'openssl' },
] as const;
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback'] as const;

export interface PreflightOptions {
  exec: Exec;
  env: NodeJS.ProcessEnv;
  /** Root filesystem the doctor checks read (tests point it at a fixture tree). */
  root?: string;
  uid?: number;
}

/**
 * Refuses, in one line naming everything missing and how to fix it, a machine that cannot be a real node:
 * not root, a program or CNI plugin absent, or a kernel setting the doctor FAILs.
 */
export async function realNodePreflight(options: PreflightOptions): Promise<void> {
  const uid = options.uid ?? process.getuid?.() ?? 0;
  if (uid !== 0) {
    throw new UserError(
      'a real node needs root: the kubelet, containerd and kube-proxy manage cgroups, mounts and iptables',
      'run cncfdemo as root (sudo -E cncfdemo cluster create --real-node ...), or leave out --real-node for simulated nodes',
    );
  }
  const problems: string[] = [];
  const packages = new Set<string>();
  for (const program of HOST_PROGRAMS) {
    if (!(await which(program.name, options.env.PATH ?? ''))) {
      problems.push(`${program.name} is not on PATH`);
      packages.add(program.pkg);
    }
  }
  for (const plugin of CNI_PLUGINS) {
    if (!(await executable(join(CNI_BIN_DIR, plugin)))) {
      problems.push(`the CNI plugin ${plugin} is not in ${CNI_BIN_DIR}`);
      packages.add('containernetworking-plugins');
    }
  }
  const fixes = packages.size > 0 ? [`apt-get install ${[...packages].join(' ')}`] : [];
  const checks = PREFLIGHT_CHECKS.map((id) => findCheck(id)).filter((c): c is Check => c !== undefined);
  const report = await runChecks({
    checks,
    node: nodeContext(options.root ?? '/', options.exec, await loadDoctorData()),
  });
  for (const check of report.checks.filter((c) => c.status === 'FAIL')) {
    problems.push(`${check.id}: ${check.evidence[0] ?? 'failed'}`);
    if (check.remediation) fixes.push(check.remediation.replace(/\s+/g, ' ').trim());
  }
  if (problems.length > 0) {
    throw new UserError(
      `this machine cannot run a real node: ${problems.join('; ')}`,
      [...fixes, 'then retry (cncfdemo doctor shows every node check)'].join('; '),
    );
  }
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
