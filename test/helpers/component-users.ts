import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  clusterPkiPaths,
  COMPONENT_USERS,
  type IdentifiedComponent,
} from '../../src/cluster/providers/local/pki.js';
import { exec } from '../../src/exec/index.js';

export const IDENTIFIED = Object.keys(COMPONENT_USERS) as IdentifiedComponent[];

/**
 * Each of the controller-manager, the scheduler and kwok runs with its own kubeconfig (0600, on its
 * command line), and the API server authenticates that kubeconfig as the component's user, outside
 * system:masters (`kubectl auth whoami`: a SelfSubjectReview, the server's own view of the caller).
 */
export async function expectComponentsAsOwnUsers(clusterDir: string, kubectl: string): Promise<void> {
  const pki = clusterPkiPaths(clusterDir);
  for (const component of IDENTIFIED) {
    const { kubeconfig } = pki.components[component];
    expect((await stat(kubeconfig)).mode & 0o777, kubeconfig).toBe(0o600);
    const pid = (await readFile(join(clusterDir, 'pids', `${component}.pid`), 'utf8')).trim();
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline, component).toContain(`--kubeconfig=${kubeconfig}`);
    expect(cmdline.join(' '), component).not.toContain(join(clusterDir, 'kubeconfig.yaml'));
    const { stdout } = await exec(kubectl, ['--kubeconfig', kubeconfig, 'auth', 'whoami', '-o', 'json']);
    const who = JSON.parse(stdout) as { status: { userInfo: { username: string; groups?: string[] } } };
    expect(who.status.userInfo.username, component).toBe(COMPONENT_USERS[component]);
    expect(who.status.userInfo.groups ?? [], component).not.toContain('system:masters');
  }
}
