import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { reservedPort } from '../../../net/ports.js';
import { isLiveProcess } from './process.js';

/** One process of a local cluster (etcd, kube-apiserver, ..., kwok-controller), as kwokctl saved it. */
export interface SavedComponent {
  name: string;
  /** The executable: its name is the process's, and names its pid file (`pids/<name>.pid`). */
  binary: string;
  /** The loopback ports it listens on. */
  ports: number[];
}

interface KwokctlComponent {
  name?: string;
  binary?: string;
  ports?: { port?: number }[];
}

/** The processes of a kwokctl cluster, from its saved kwok.yaml, in kwokctl's start order. */
export async function savedComponents(kwokYaml: string): Promise<SavedComponent[]> {
  const docs = parseAllDocuments(await readFile(kwokYaml, 'utf8')).map(
    (d) => d.toJS() as { kind?: string; components?: KwokctlComponent[] } | null,
  );
  const components = docs.find((d) => d?.kind === 'KwokctlConfiguration')?.components ?? [];
  return components.map((c) => ({
    name: c.name ?? '?',
    binary: c.binary ?? c.name ?? '?',
    ports: (c.ports ?? []).flatMap((p) => (typeof p.port === 'number' ? [p.port] : [])),
  }));
}

/** The loopback ports a kwokctl cluster's components listen on, from its saved kwok.yaml. */
export async function savedPorts(kwokYaml: string): Promise<{ component: string; port: number }[]> {
  return (await savedComponents(kwokYaml)).flatMap((c) =>
    c.ports.map((port) => ({ component: c.name, port })),
  );
}

export interface ComponentState extends SavedComponent {
  /** Its pid file names a running process of its executable (not a zombie, not another program). */
  live: boolean;
}

/** Each process of the cluster in `clusterDir`, live or not. */
export async function componentStates(clusterDir: string): Promise<ComponentState[]> {
  const components = await savedComponents(join(clusterDir, 'kwok.yaml')).catch(() => []);
  return Promise.all(
    components.map(async (c) => {
      const pid = Number(await readFile(pidFile(clusterDir, c), 'utf8').catch(() => ''));
      return { ...c, live: await isLiveProcess(pid, basename(c.binary)) };
    }),
  );
}

/**
 * Deletes the pid files of the processes that do not run. kwokctl only signals the pid a file names: after
 * a crash or a reboot that pid may be a zombie (so kwokctl would not start the process again) or another
 * program's (which `kwokctl stop` would kill).
 */
export async function forgetDead(clusterDir: string, states: readonly ComponentState[]): Promise<void> {
  await Promise.all(states.filter((s) => !s.live).map((s) => rm(pidFile(clusterDir, s), { force: true })));
}

/** The processes everything else reaches the cluster through: without them no other start can succeed. */
const STORE_AND_API = new Set(['etcd', 'kube-apiserver']);

/**
 * The processes that exited while the API server was coming up, and that a second start can bring up now
 * that it serves. kwokctl starts each process as soon as the one it links to has forked, not once that one
 * serves, and metrics-server exits (a panic) when it cannot reach the API server at its start; a busy
 * machine makes that likely. None when etcd or the API server is down itself: the caller names those.
 */
export function exitedBeforeApiServed(states: readonly ComponentState[]): ComponentState[] {
  const down = states.filter((s) => !s.live);
  return down.some((s) => STORE_AND_API.has(s.name)) ? [] : down;
}

const STOP_GRACE_MS = 15_000;

/**
 * Stops these live processes of the cluster (SIGTERM, SIGKILL after a grace) and forgets their pid files,
 * so that the next `kwokctl start cluster` starts them again.
 */
export async function stopComponents(
  clusterDir: string,
  components: readonly ComponentState[],
): Promise<void> {
  await Promise.all(
    components.map(async (c) => {
      const pid = Number(await readFile(pidFile(clusterDir, c), 'utf8').catch(() => ''));
      const live = (): Promise<boolean> => isLiveProcess(pid, basename(c.binary));
      if (!(await live())) return;
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + STOP_GRACE_MS;
      while ((await live()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (await live()) process.kill(pid, 'SIGKILL');
      await rm(pidFile(clusterDir, c), { force: true });
    }),
  );
}

const pidFile = (clusterDir: string, c: SavedComponent): string =>
  join(clusterDir, 'pids', `${basename(c.binary)}.pid`);

/** Every host port of a new cluster's control plane, as kwokctl's configuration names them. */
export interface ControlPlanePorts {
  etcdPort: number;
  etcdPeerPort: number;
  kubeApiserverPort: number;
  kubeControllerManagerPort: number;
  kubeSchedulerPort: number;
  kwokControllerPort: number;
  metricsServerPort: number;
  /** The cluster's Prometheus (monitoring.ts), when it has one. */
  prometheusPort: number;
}

/**
 * The ports of a new cluster's control plane, all chosen before kwokctl runs (etcd's https URLs name
 * its two): each free now and saved by none of `otherClusters`. A stopped cluster's ports, or those of a
 * process of one that died a moment ago, are free to probe but still its own; kwokctl, left to pick,
 * would take them, and that cluster's `cluster start` would then fail. The caller holds the port lock.
 */
export async function controlPlanePorts(otherClusters: readonly string[]): Promise<ControlPlanePorts> {
  const taken = new Set<number>();
  for (const dir of otherClusters) {
    for (const { port } of await savedPorts(join(dir, 'kwok.yaml')).catch(() => [])) taken.add(port);
  }
  // Outside the ephemeral range: metrics-server binds seconds after its port is chosen, and a port the OS
  // hands out could meanwhile go to any other process's connection.
  const pick = async (): Promise<number> => {
    const port = await reservedPort(taken);
    taken.add(port);
    return port;
  };
  return {
    etcdPort: await pick(),
    etcdPeerPort: await pick(),
    kubeApiserverPort: await pick(),
    kubeControllerManagerPort: await pick(),
    kubeSchedulerPort: await pick(),
    kwokControllerPort: await pick(),
    metricsServerPort: await pick(),
    prometheusPort: await pick(),
  };
}
