import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portInUse } from '../../../net/ports.js';
import {
  type ComponentState,
  componentStates,
  controlPlanePorts,
  exitedBeforeApiServed,
  forgetDead,
  savedPorts,
} from './components.js';

const KWOK_YAML = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
components:
  - name: etcd
    ports:
      - { name: peer-http, port: 32759, protocol: TCP }
      - { name: http, port: 32758, protocol: TCP }
  - name: kube-scheduler
  - name: metrics-server
    ports:
      - { name: https, port: 32753, protocol: TCP }
---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options: {}
`;

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

describe('local cluster ports', () => {
  it("lists every component's saved port", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kwok-yaml-'));
    await writeFile(join(dir, 'kwok.yaml'), KWOK_YAML);
    expect(await savedPorts(join(dir, 'kwok.yaml'))).toEqual([
      { component: 'etcd', port: 32759 },
      { component: 'etcd', port: 32758 },
      { component: 'metrics-server', port: 32753 },
    ]);
    await rm(dir, { recursive: true });
  });

  it('picks eight distinct free ports for a new control plane (its Prometheus too), none saved by another cluster', async () => {
    const other = await mkdtemp(join(tmpdir(), 'kwok-yaml-'));
    await writeFile(join(other, 'kwok.yaml'), KWOK_YAML);
    const ports = Object.values<number>({ ...(await controlPlanePorts([other])) });
    expect(ports).toHaveLength(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) {
      expect([32759, 32758, 32753]).not.toContain(port);
      expect(await portInUse(port)).toBe(false);
    }
    await rm(other, { recursive: true });
  });

  it('tells a port something listens on from a free one', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await portInUse(port)).toBe(true);
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await portInUse(port)).toBe(false);
  });
});

describe('componentStates', () => {
  it('tells live processes from dead ones and from a pid another program has, and forgets only the dead', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cluster-'));
    await mkdir(join(dir, 'pids'));
    const sleeper = spawn('sleep', ['30']);
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    const component = (name: string, binary: string) =>
      `  - name: ${name}\n    binary: ${binary}\n    ports: [{ port: 1 }]\n`;
    await writeFile(
      join(dir, 'kwok.yaml'),
      'kind: KwokctlConfiguration\ncomponents:\n' +
        component('live', '/bin/sleep') +
        component('crashed', `${dir}/bin/true`) +
        component('reused', `${dir}/bin/etcd`) +
        component('never-started', `${dir}/bin/kube-scheduler`),
    );
    await writeFile(join(dir, 'pids', 'sleep.pid'), String(sleeper.pid));
    await writeFile(join(dir, 'pids', 'true.pid'), String(gone.pid));
    // a pid of a running process that is not etcd: what a pid file can name after a reboot
    await writeFile(join(dir, 'pids', 'etcd.pid'), String(process.pid));
    try {
      const states = await componentStates(dir);
      expect(states.map((s) => [s.name, s.live])).toEqual([
        ['live', true],
        ['crashed', false],
        ['reused', false],
        ['never-started', false],
      ]);
      await forgetDead(dir, states);
      const exists = (f: string) =>
        access(join(dir, 'pids', f)).then(
          () => true,
          () => false,
        );
      expect(await exists('sleep.pid')).toBe(true);
      expect(await exists('true.pid')).toBe(false);
      expect(await exists('etcd.pid')).toBe(false);
    } finally {
      sleeper.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('exitedBeforeApiServed', () => {
  const state = (name: string, live: boolean): ComponentState => ({ name, binary: name, ports: [], live });

  it('names what exited while the API server came up, and only that', () => {
    const states = [
      state('etcd', true),
      state('kube-apiserver', true),
      state('kube-controller-manager', true),
      state('metrics-server', false),
      state('kwok-controller', false),
    ];
    expect(exitedBeforeApiServed(states).map((s) => s.name)).toEqual(['metrics-server', 'kwok-controller']);
    expect(exitedBeforeApiServed(states.slice(0, 3))).toEqual([]);
  });

  it('names nothing when etcd or the API server is down itself: a second start cannot help the rest', () => {
    expect(exitedBeforeApiServed([state('etcd', false), state('metrics-server', false)])).toEqual([]);
    expect(exitedBeforeApiServed([state('etcd', true), state('kube-apiserver', false)])).toEqual([]);
  });
});
