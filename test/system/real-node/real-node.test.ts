import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/api/doctor.js';
import { RealNode } from '../../../src/cluster/providers/local/real-node/node.js';
import {
  binaryPaths,
  ensureNodeBinaries,
  pinnedVersions,
} from '../../../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import { connect, isNodeReady, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import { isOneLineError, runCli } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/wait.js';
import {
  realNodeCreateArgs,
  setSysctl,
  startOutsideHost,
  startTestRegistry,
  type TestRegistry,
} from './harness.js';

const NAME = 'realnode';
const isRoot = process.getuid?.() === 0;

/**
 * This machine as a real kubelet + containerd node: one file, one cluster at a time (a real node's bridge
 * and firewall chains are machine-wide). Images come from Debian packages through a loopback registry.
 */
describe.runIf(isRoot)('cluster create --real-node', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let registry: TestRegistry;
  let outside: Awaited<ReturnType<typeof startOutsideHost>>;
  let client: KubeClient;
  const restore: (() => Promise<void>)[] = [];
  const kubeconfig = () => join(home, 'clusters', NAME, 'kubeconfig.yaml');
  const kubectl = async (...args: string[]) => {
    const { kubectl: bin } = binaryPaths(await pinnedVersions(), cacheDir());
    const { stdout, stderr } = await exec(bin, ['--kubeconfig', kubeconfig(), ...args]);
    return stdout + stderr;
  };
  const cli = (...args: string[]) => runCli(args, env);
  const createArgs = () => realNodeCreateArgs(NAME, registry);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cncfdemo-realnode-'));
    env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
    // A node forwards pod traffic (the doctor's ip-forward check); the suite puts the old value back.
    restore.push(await setSysctl('net.ipv4.ip_forward', '1'));
    registry = await startTestRegistry();
    outside = await startOutsideHost();
    const created = await cli(...createArgs());
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/cluster "realnode" is ready in [\d.]+s: 1 real node,/);
    client = await connect({ kubeconfig: kubeconfig() });
  }, 600_000);

  afterAll(async () => {
    (client as KubeClient | undefined)?.close();
    await cli('cluster', 'delete', '--name', NAME);
    await outside.stop();
    await registry.registry.stop();
    for (const undo of restore.reverse()) await undo();
    await rm(home, { recursive: true, force: true });
  }, 300_000);

  it('registers this machine as a Ready node on the bridge, running containerd', async () => {
    const [node] = await client.listNodes();
    const status = node?.status as {
      addresses: { type: string; address: string }[];
      nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
    };
    expect(node?.metadata.name).toBe(`${NAME}-node`);
    expect(status.addresses).toContainEqual({ type: 'InternalIP', address: '198.18.0.1' });
    expect(status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6\./);
    expect(status.nodeInfo.kubeletVersion).toMatch(/^v1\.34\./);
  });

  it('cluster list names a dead node process (Degraded: kubelet), and cluster start brings back only it', async () => {
    const node = new RealNode(NAME, join(home, 'clusters', NAME), exec, await ensureNodeBinaries());
    const pidOf = async (daemon: string) =>
      Number((await readFile(join(node.paths.pids, `${daemon}.pid`), 'utf8')).trim());
    const containerdBefore = await pidOf('containerd');
    process.kill(await pidOf('kubelet'), 'SIGKILL');
    await waitFor(
      async () => (await node.processStates()).find((p) => p.name === 'kubelet')?.live,
      (live) => live === false,
    );
    const listed = await cli('cluster', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${NAME}\\s.*Degraded.*kubelet`, 'm'));
    const started = await cli('cluster', 'start', '--name', NAME);
    expect(started.code, started.stderr).toBe(0);
    expect((await node.processStates()).every((p) => p.live)).toBe(true);
    expect(await pidOf('containerd')).toBe(containerdBefore);
    expect((await cli('cluster', 'list')).stdout).toMatch(new RegExp(`^${NAME}\\s.*Running`, 'm'));
    await waitFor(
      async () => (await client.listNodes()).every(isNodeReady),
      (ready) => ready,
      60_000,
    );
  });

  it('runs a Deployment of the ingest server; a Job reaches it by its Service name through kube-proxy', async () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingest' } };
    const labels = { app: 'ingest' };
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ingest', namespace: 'ingest' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'ingest',
                image: registry.image('cncfdemo/ingest-server'),
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/i?app_key=probe&device_id=probe', port: 8080 } },
              },
            ],
          },
        },
      },
    };
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingest', namespace: 'ingest' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'client', namespace: 'ingest' },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'client',
                image: registry.image('cncfdemo/busybox'),
                command: [
                  'sh',
                  '-c',
                  'nslookup ingest.ingest.svc.cluster.local && wget -q -O - "http://ingest.ingest.svc.cluster.local/i?app_key=a&device_id=b"',
                ],
              },
            ],
          },
        },
      },
    };
    await client.apply([ns, deployment, service]);
    await client.waitReady([deployment], { timeoutMs: 120_000 });
    const pods = await client.list('pods', { namespace: 'ingest', labelSelector: 'app=ingest' });
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect((pod.spec as { nodeName: string }).nodeName).toBe(`${NAME}-node`);
      expect((pod.status as { podIP: string }).podIP).toMatch(/^198\.18\.0\.\d+$/);
    }
    await client.apply([job]);
    await client.waitReady([job], { timeoutMs: 120_000 });
    const stdout = await kubectl('logs', '-n', 'ingest', 'job/client');
    expect(stdout).toMatch(/Address:?\s+198\.19\.\d+\.\d+/);
    expect(stdout).toContain('{"result":"Success"}');
  });

  it('doctor --cluster: DNS resolution and Service routing PASS for real', async () => {
    const report = await runDoctor({
      cluster: true,
      checks: ['nodes-ready', 'dns-addon', 'dns-resolution', 'service-routing'],
      kubeconfig: kubeconfig(),
      env,
      probeImage: registry.image('cncfdemo/busybox'),
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    for (const id of ['nodes-ready', 'dns-addon', 'dns-resolution', 'service-routing']) {
      expect(byId[id]?.status, `${id}: ${byId[id]?.evidence.join(' | ') ?? ''}`).toBe('PASS');
    }
  });

  it('reproduces the post-mortem bug: bridge-nf-call-iptables=0 breaks Service routing, and doctor names the fix', async () => {
    const putBack = await setSysctl('net.bridge.bridge-nf-call-iptables', '0');
    try {
      const node = await runDoctor({ checks: ['bridge-nf-call'] });
      expect(node.checks[0]?.status).toBe('FAIL');
      expect(node.checks[0]?.remediation).toMatch(/bridge-nf-call-iptables\s*=\s*1/);
      const routing = await runDoctor({
        cluster: true,
        checks: ['service-routing'],
        kubeconfig: kubeconfig(),
        env,
        probeImage: registry.image('cncfdemo/busybox'),
      });
      expect(routing.checks[0]?.status, routing.checks[0]?.evidence.join(' | ')).toBe('FAIL');
    } finally {
      await putBack();
    }
    const again = await runDoctor({
      cluster: true,
      checks: ['bridge-nf-call', 'service-routing'],
      kubeconfig: kubeconfig(),
      env,
      probeImage: registry.image('cncfdemo/busybox'),
    });
    expect(again.checks.map((c) => c.status)).toEqual(['PASS', 'PASS']);
  });

  it('seals pods in: a connection to a host outside the cluster fails at once, while this host reaches it', async () => {
    const url = `http://${outside.address}:${String(outside.port)}/`;
    expect((await fetch(url)).status).toBe(200);
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'escape', namespace: 'ingest' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'escape',
            image: registry.image('cncfdemo/busybox'),
            command: [
              'sh',
              '-c',
              `start=$(date +%s); nc -w 10 ${outside.address} ${String(outside.port)} </dev/null; echo "rc=$? seconds=$(( $(date +%s) - start ))"`,
            ],
          },
        ],
      },
    };
    await client.apply([pod]);
    let logs = '';
    for (let i = 0; i < 120 && !/rc=\d+/.test(logs); i++) {
      logs = await kubectl('logs', '-n', 'ingest', 'escape').catch(() => '');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(logs).toMatch(/No route to host|Network unreachable/);
    const match = /rc=(\d+) seconds=(\d+)/.exec(logs);
    expect(Number(match?.[1])).not.toBe(0);
    expect(Number(match?.[2])).toBeLessThanOrEqual(2);
  });

  it('refuses a second real-node cluster on this machine, even from another cncfdemo home, creating nothing', async () => {
    const otherHome = await mkdtemp(join(tmpdir(), 'cncfdemo-realnode-other-'));
    const otherEnv = { ...env, CNCFDEMO_HOME: otherHome, KUBECONFIG: join(otherHome, 'kubeconfig') };
    try {
      const second = await runCli(
        [
          'cluster',
          'create',
          '--name',
          'second',
          '--real-node',
          ...registry.mirrors.flatMap((m) => ['--registry-mirror', m]),
        ],
        otherEnv,
      );
      expect(second.code).not.toBe(0);
      // Progress lines come first on a terminal-less stderr; the error itself is one line at the end.
      expect(isOneLineError(second.stderr.trimEnd().split('\n').at(-1) ?? '')).toBe(true);
      expect(second.stderr).toMatch(/cluster "realnode" \(.*\) already has this machine as its real node/);
      expect((await runCli(['cluster', 'list'], otherEnv)).stdout).not.toContain('second');
    } finally {
      await rm(otherHome, { recursive: true, force: true });
    }
  });

  it('cluster delete leaves no process, mount, cgroup, network namespace, bridge, route or iptables rule', async () => {
    const node = new RealNode(NAME, join(home, 'clusters', NAME), exec, await ensureNodeBinaries());
    expect(await node.leftovers()).not.toEqual([]);
    const deleted = await cli('cluster', 'delete', '--name', NAME);
    expect(deleted.code).toBe(0);
    expect(await node.leftovers()).toEqual([]);
    // Each kind, listed the way a user would check it.
    const netns = (await exec('ip', ['netns', 'list'])).stdout;
    expect(netns).not.toMatch(/cni-/);
    await expect(exec('ip', ['link', 'show', 'cncfdemo0'])).rejects.toThrow();
    expect((await exec('ip', ['route', 'show', 'type', 'unreachable'])).stdout).not.toContain(
      '198.18.0.0/15',
    );
    for (const family of ['iptables', 'ip6tables']) {
      for (const table of ['filter', 'nat', 'mangle']) {
        expect((await exec(family, ['-t', table, '-S'])).stdout, `${family} ${table}`).not.toMatch(
          /KUBE-|CNI-|CNCFDEMO-/,
        );
      }
    }
    expect((await exec('cat', ['/proc/self/mountinfo'])).stdout).not.toContain(join(home, 'clusters'));
    expect((await exec('ps', ['-eo', 'args'])).stdout).not.toContain(join(home, 'clusters'));
  });

  it('an image the registry does not have fails create in one line, and nothing is left', async () => {
    const args = createArgs().map((a) =>
      a === registry.image('cncfdemo/coredns') ? 'docker.io/cncfdemo/missing:1' : a,
    );
    const failed = await cli(...args);
    expect(failed.code).not.toBe(0);
    const last = failed.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(isOneLineError(last)).toBe(true);
    expect(last).toMatch(
      /could not pull docker\.io\/cncfdemo\/missing:1 from the mirror http:\/\/127\.0\.0\.1:\d+: .*not found/,
    );
    const node = new RealNode(NAME, join(home, 'clusters', NAME), exec, await ensureNodeBinaries());
    expect(await node.leftovers()).toEqual([]);
    expect((await cli('cluster', 'list')).stdout).not.toContain(NAME);
  });

  it('cluster start refuses, in one line, a node port another process took while it was stopped', async () => {
    expect((await cli(...createArgs())).code).toBe(0);
    expect((await cli('cluster', 'stop', '--name', NAME)).code).toBe(0);
    const node = new RealNode(NAME, join(home, 'clusters', NAME), exec, await ensureNodeBinaries());
    const port = (await node.record()).ports.kubeletHealthz;
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      const refused = await cli('cluster', 'start', '--name', NAME);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trimEnd().split('\n').at(-1)).toMatch(
        new RegExp(
          `^error: port ${String(port)} on 127\\.0\\.0\\.1 of the real node \\(its kubelet\\) is now used by another process`,
        ),
      );
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    expect((await cli('cluster', 'start', '--name', NAME)).code).toBe(0);
    expect((await cli('cluster', 'delete', '--name', NAME)).code).toBe(0);
    expect(await node.leftovers()).toEqual([]);
  });
});
