import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deleteCluster } from '../../src/api/cluster.js';
import { clusterPkiPaths, type IdentifiedComponent } from '../../src/cluster/providers/local/pki.js';
import { isLiveProcess } from '../../src/cluster/providers/local/process.js';
import { binaryPaths, pinnedVersions } from '../../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../../src/config/paths.js';
import { exec } from '../../src/exec/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { expectComponentsAsOwnUsers, IDENTIFIED } from '../helpers/component-users.js';
import { uniqueName } from './harness.js';

/** A cluster of this file's own: its processes are killed one after another. */
const name = uniqueName('health');
const PROCESSES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok-controller',
  'metrics-server',
  // the cluster's own Prometheus (the set-up installs Debian's)
  'prometheus',
] as const;
let home: string;
let env: NodeJS.ProcessEnv;
let kubectlBin: string;

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, env);
const kubectl = async (args: readonly string[]): Promise<string> =>
  (await exec(kubectlBin, ['--context', `cncfdemo-${name}`, ...args], { env })).stdout;
/** The STATUS column of `cluster list` for this cluster. */
const status = async (): Promise<string> => {
  const line = (await cli(['cluster', 'list'])).stdout.split('\n').find((l) => l.startsWith(`${name} `));
  return line?.split(/\s{3,}/)[2] ?? '';
};
const pidOf = async (process: string): Promise<number> =>
  Number(await readFile(join(home, 'clusters', name, 'pids', `${process}.pid`), 'utf8'));
const pids = async (): Promise<Record<string, number>> =>
  Object.fromEntries(await Promise.all(PROCESSES.map(async (p) => [p, await pidOf(p)] as const)));

/** SIGKILL, then wait until the process is gone (dead or a zombie: what a crash leaves). */
async function kill(process: (typeof PROCESSES)[number]): Promise<void> {
  const pid = await pidOf(process);
  globalThis.process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while ((await isLiveProcess(pid, process)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-health-'));
  env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  kubectlBin = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
  const created = await cli(['cluster', 'create', '--name', name, '--nodes', '1']);
  expect(created.code, created.stderr).toBe(0);
  await kubectl(['create', 'configmap', 'kept', '--from-literal=answer=42']);
});

afterAll(async () => {
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe('cluster health, process by process', () => {
  it('names each killed process as down, and start restarts it alone, with the data', async () => {
    expect(await status()).toBe('Running');
    for (const process of PROCESSES) {
      const before = await pids();
      await kill(process);
      expect(await status(), process).toBe(`Degraded (${process} down)`);

      const started = await cli(['cluster', 'start', '--name', name]);
      expect(started.code, `${process}: ${started.stderr}`).toBe(0);
      expect(await status(), process).toBe('Running');
      const after = await pids();
      for (const other of PROCESSES) {
        if (other === process) expect(after[other], other).not.toBe(before[other]);
        else expect(after[other], `${other} is left alone when ${process} restarts`).toBe(before[other]);
      }
      expect(await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'])).toBe('42');
    }
    // the restarted kwok manages the node again: new pods run
    await kubectl(['create', 'deployment', 'after', '--image=nginx', '--replicas=1']);
    await kubectl(['rollout', 'status', 'deployment/after', '--timeout=30s']);
  });

  it('a cluster made when its components ran as the admin: start gives them users of their own, restarting just them', async () => {
    const dir = join(home, 'clusters', name);
    await asBeforeComponentUsers(dir);
    const before = await pids();
    const begun = Date.now();
    const started = await cli(['cluster', 'start', '--name', name]);
    expect(started.code, started.stderr).toBe(0);
    // kwok takes its nodes over at once (their leases gone for good, not waiting for a restarting GC)
    expect(Date.now() - begun).toBeLessThan(30_000);
    expect(await status()).toBe('Running');
    const after = await pids();
    for (const process of PROCESSES) {
      if ((IDENTIFIED as string[]).includes(process))
        expect(after[process], process).not.toBe(before[process]);
      else expect(after[process], `${process} is left alone`).toBe(before[process]);
    }
    await expectComponentsAsOwnUsers(dir, kubectlBin);
    // the controllers (each with its service account), the scheduler and kwok all work as themselves
    await kubectl(['create', 'deployment', 'own-users', '--image=nginx', '--replicas=2']);
    await kubectl(['rollout', 'status', 'deployment/own-users', '--timeout=30s']);
    expect(await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'])).toBe('42');
  });

  it('stops whatever still runs of a degraded cluster, naming it, and starts all of it again', async () => {
    await kill('kube-scheduler');
    await kill('metrics-server');
    expect(await status()).toBe('Degraded (kube-scheduler, metrics-server down)');

    const stopped = await cli(['cluster', 'stop', '--name', name]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toContain(
      `cluster "${name}" stopped (etcd, kube-apiserver, kube-controller-manager, kwok-controller, prometheus)`,
    );
    expect(await status()).toBe('Stopped');
    const again = await cli(['cluster', 'stop', '--name', name]);
    expect(again.stderr).toContain(`cluster "${name}" was stopped already`);

    const started = await cli(['cluster', 'start', '--name', name]);
    expect(started.code, started.stderr).toBe(0);
    expect(await status()).toBe('Running');
    expect(await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'])).toBe('42');
  });
});

/**
 * Turns the cluster's saved kwokctl configuration and files back into what `cluster create` made before
 * the components had users of their own: all three on the admin kubeconfig, no client certificates of
 * theirs, no kubeconfigs. (The running processes are left as they are.)
 */
async function asBeforeComponentUsers(dir: string): Promise<void> {
  const pki = clusterPkiPaths(dir);
  const file = join(dir, 'kwok.yaml');
  const docs = parseAllDocuments(await readFile(file, 'utf8'));
  const added = ['--use-service-account-credentials=', '--client-ca-file=', '--requestheader-'];
  for (const doc of docs) {
    const saved = doc.toJS() as { kind?: string; components?: { name: string; args?: string[] }[] } | null;
    if (saved?.kind !== 'KwokctlConfiguration') continue;
    (saved.components ?? []).forEach((c, i) => {
      if (!(IDENTIFIED as string[]).includes(c.name)) return;
      const own = pki.components[c.name as IdentifiedComponent].kubeconfig;
      const args = (c.args ?? [])
        .filter((a) => !added.some((prefix) => a.startsWith(prefix)))
        .map((a) => a.replace(own, join(dir, 'kubeconfig.yaml')));
      doc.setIn(['components', i, 'args'], doc.createNode(args));
    });
  }
  await writeFile(file, docs.map((d) => d.toString({ indentSeq: false })).join(''));
  await rm(join(dir, 'kubeconfigs'), { recursive: true, force: true });
  for (const c of IDENTIFIED) {
    await rm(pki.components[c].cert, { force: true });
    await rm(pki.components[c].key, { force: true });
  }
}
