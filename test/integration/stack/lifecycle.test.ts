import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster, deleteCluster } from '../../../src/api/cluster.js';
import { binaryPaths, pinnedVersions } from '../../../src/cluster/providers/local/toolchain.js';
import { cacheDir, packageRoot } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import { isOneLineError, runCli, type CliResult } from '../../helpers/cli.js';
import { uniqueName } from '../harness.js';
import { items, parseStart, STACK_KINDS, type ListedObject } from './helpers.js';

/**
 * The whole life of the stack on a cluster of this file's own: `stop` deletes everything cncfdemo made in the
 * cluster (priority classes included), which would pull the rug from under other tests on the shared one.
 * Three nodes of 3 CPUs: the foreground (about 4.5 CPUs of requests) and four 1-CPU BOINC pods fill them.
 * Pods start 0.3 to 0.9 s after they are scheduled, so a start takes long enough to be interrupted.
 */
const name = uniqueName('stk');
const stack = 'demo';
const monitoring = 'demo-mon';
const values = [
  '--set',
  `namespaces.stack=${stack}`,
  '--set',
  `namespaces.monitoring=${monitoring}`,
  '--set',
  'countly.autoscaling.enabled=false',
  '--set',
  'countly.replicas=2',
  '--set',
  'boinc.replicas=4',
  '--set',
  'storage.className=static',
];
const MANAGED = 'app.kubernetes.io/managed-by=cncfdemo';
let home: string;
let env: NodeJS.ProcessEnv;
let kubectlBin: string;

async function kubectl(args: readonly string[], input?: string): Promise<string> {
  const { stdout } = await exec(kubectlBin, ['--context', `cncfdemo-${name}`, ...args], {
    env,
    ...(input !== undefined ? { input } : {}),
  });
  return stdout;
}

const cli = (args: readonly string[]): Promise<CliResult> =>
  runCli([...args, '--context', `cncfdemo-${name}`], env);

/** Every object cncfdemo made, cluster-wide, by kind/namespace/name, with its resourceVersion. */
async function managed(): Promise<Map<string, string>> {
  const found = items(await kubectl(['get', STACK_KINDS, '-A', '-l', MANAGED, '-o', 'json']));
  return new Map(
    found.map((o: ListedObject) => [
      `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      o.metadata.resourceVersion,
    ]),
  );
}

const pods = async (selector: string): Promise<ListedObject[]> =>
  items(await kubectl(['get', 'pods', '-n', stack, '-l', selector, '-o', 'json']));

const running = (pod: ListedObject): boolean =>
  (pod.status as { phase?: string }).phase === 'Running' &&
  !(pod.metadata as { deletionTimestamp?: string }).deletionTimestamp;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-stack-'));
  env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  kubectlBin = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
  await createCluster({ name, nodes: 3, nodeCpu: '3', nodeMemory: '16Gi', podStartDelayMs: 300, home, env });
  // Storage the way a cluster without a provisioner offers it: a class and volumes made in advance.
  const volumes = Array.from({ length: 9 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `static-${i}` },
    spec: {
      storageClassName: 'static',
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/var/lib/static-${i}` },
    },
  }));
  const storageClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'static' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
  };
  await kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [storageClass, ...volumes] }),
  );
}, 600_000);

afterAll(async () => {
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
}, 120_000);

describe('the stack from start to stop, on a cluster of its own', () => {
  it('converges after start was interrupted with SIGINT halfway', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(packageRoot, 'test/integration/stack/cli-process.ts'),
        'start',
        '--context',
        `cncfdemo-${name}`,
        ...values,
      ],
      { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // halfway: the config servers are up and being initiated, Countly is not deployed yet
      if (!interrupted && stderr.includes('• Initiate the config-server replica set')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(interrupted, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^error: interrupted \(hint: run `cncfdemo start` again/,
    );
    const deployments = items(await kubectl(['get', 'deployments', '-n', stack, '-o', 'json'])).map(
      (d) => d.metadata.name,
    );
    expect(deployments).not.toContain('countly-api');

    const again = await cli(['start', ...values]);
    expect(again.code, again.stderr).toBe(0);
    console.log(
      `start after the interruption: ${parseStart(again).totalS}s (pods start 0.3-0.9 s after scheduling)`,
    );
    const status = await cli(['status', ...values]);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).not.toMatch(/Not ready/);
    const claims = items(await kubectl(['get', 'pvc', '-n', stack, '-o', 'json']));
    expect(claims).toHaveLength(9);
    for (const claim of claims) expect((claim.status as { phase?: string }).phase).toBe('Bound');
  });

  it('changes no object anywhere in the cluster when run again', async () => {
    // BOINC is not waited for, so its pods may still be turning Ready (the Deployment's status changes)
    const scheduled = (await pods('app.kubernetes.io/name=boinc')).filter(
      (p) => (p.spec as { nodeName?: string }).nodeName,
    );
    await kubectl([
      'wait',
      '-n',
      stack,
      'deployment/boinc',
      `--for=jsonpath={.status.readyReplicas}=${scheduled.length}`,
      '--timeout=60s',
    ]);
    // start ends when a Job's pod has succeeded; the Job controller marks it Complete a moment later
    await kubectl(['wait', '-n', stack, 'jobs', '--all', '--for=condition=Complete', '--timeout=60s']);
    const before = await managed();
    const again = await cli(['start', ...values]);
    expect(again.code, again.stderr).toBe(0);
    expect(await managed()).toEqual(before);
  });

  it('evicts BOINC to make room when the Countly API scales up', async () => {
    const boincBefore = (await pods('app.kubernetes.io/name=boinc')).filter(running);
    expect(boincBefore.length, 'BOINC should fill the idle CPUs first').toBeGreaterThanOrEqual(3);

    // 4 more API replicas need 2 CPUs the nodes only have while BOINC runs there
    const scaled = await cli(['start', ...values, '--set', 'countly.replicas=6']);
    expect(scaled.code, scaled.stderr).toBe(0);

    const api = (await pods('app.kubernetes.io/name=countly-api')).filter(running);
    expect(api).toHaveLength(6);
    const boincAfter = (await pods('app.kubernetes.io/name=boinc')).filter(running);
    expect(boincAfter.length).toBeLessThan(boincBefore.length);
    const preempted = await kubectl([
      'get',
      'events',
      '-n',
      stack,
      '--field-selector',
      'reason=Preempted',
      '-o',
      'json',
    ]);
    const victims = items(preempted).map(
      (e) => (e as unknown as { involvedObject: { name: string } }).involvedObject.name,
    );
    expect(victims.length).toBeGreaterThanOrEqual(1);
    for (const victim of victims) expect(victim).toMatch(/^boinc-/);
    console.log(
      `scale-up 2 -> 6 API replicas: BOINC running ${boincBefore.length} -> ${boincAfter.length}, ${victims.length} preempted, start took ${parseStart(scaled).totalS}s`,
    );
    // status reports the BOINC pods that run: compare it with a fresh count, as replacements for the
    // preempted pods may still land on room the preemption left, and the Deployment's status follows a moment later
    await expect
      .poll(
        async () => {
          const out = (await cli(['status', ...values, '--set', 'countly.replicas=6'])).stdout;
          const reported = /^boinc\s+Ready\s+\d+\s+(\d+)\/4 pods on idle capacity/m.exec(out)?.[1];
          const runningNow = (await pods('app.kubernetes.io/name=boinc')).filter(running).length;
          return `status says ${reported ?? '(no boinc line)'}, ${String(runningNow)} running`;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toMatch(/^status says (\d+), \1 running$/);
  });

  it('stop --keep-data deletes everything but the volume claims and their namespace', async () => {
    const result = await cli(['stop', '--keep-data']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('kept 9 volume claims');
    const left = [...(await managed()).keys()].sort();
    expect(left.filter((k) => !k.startsWith('PersistentVolumeClaim/'))).toEqual([`Namespace//${stack}`]);
    expect(left.filter((k) => k.startsWith('PersistentVolumeClaim/'))).toHaveLength(9);
  });

  it('stop deletes every object cncfdemo made and the stack namespaces, and waits until they are gone', async () => {
    const result = await cli(['stop']);
    expect(result.code, result.stderr).toBe(0);
    expect((await managed()).size).toBe(0);
    const namespaces = items(await kubectl(['get', 'namespaces', '-o', 'json'])).map((n) => n.metadata.name);
    expect(namespaces).not.toContain(stack);
    expect(namespaces).not.toContain(monitoring);
    const again = await cli(['stop']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('deleted 0 objects');
  });

  it('status says the stack is not deployed, in one line', async () => {
    const result = await cli(['status', ...values]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('the demo stack is not deployed; deploy it with: cncfdemo start\n');
    expect(isOneLineError(`error: ${result.stderr}`)).toBe(true);
  });
});
