import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCluster, deleteCluster } from '../../src/api/cluster.js';
import { componentStates } from '../../src/cluster/providers/local/components.js';
import { isLiveProcess } from '../../src/cluster/providers/local/process.js';
import { EventStream, type RunEvent } from '../../src/events/index.js';
import { exec, type Exec } from '../../src/exec/index.js';
import { uniqueName } from './harness.js';

const name = uniqueName('early-exit');
const home = await mkdtemp(join(tmpdir(), 'cncfdemo-early-exit-'));
const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };

afterAll(async () => {
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

/** What a start racing the API server leaves: metrics-server gone by the time kwokctl returns. */
async function killMetricsServer(): Promise<void> {
  const pid = Number(await readFile(join(home, 'clusters', name, 'pids', 'metrics-server.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  while (await isLiveProcess(pid, 'metrics-server')) await new Promise((r) => setTimeout(r, 50));
}

describe('cluster create, when a process exits before the API server serves', () => {
  it('starts it again once the API server serves, and the cluster comes up whole', async () => {
    const racingExec: Exec = async (command, args, options) => {
      const result = await exec(command, args, options);
      if (basename(command) === 'kwokctl' && args[0] === 'create') await killMetricsServer();
      return result;
    };
    const events = new EventStream();
    const seen: RunEvent[] = [];
    events.subscribe((e) => seen.push(e));

    const info = await createCluster({ name, nodes: 1, home, env, exec: racingExec, events });

    expect(info.name).toBe(name);
    const again = seen.find((e) => e.id === 'control-plane-again' && e.phase === 'end');
    expect(again?.title).toBe('Starting metrics-server again');
    const states = await componentStates(join(home, 'clusters', name));
    expect(states.filter((s) => !s.live).map((s) => s.name)).toEqual([]);
  });
});
