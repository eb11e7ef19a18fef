import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/paths.js';
import type { UiServerMeasure } from '../helpers/ui-server.js';

/** Event streams opened and dropped by clients leave nothing behind in the server (its own process). */
const RUN = '20991231T235959Z-start-cafe';
let home: string;
let child: ChildProcess;
let url: string;

/** What the server holds now, after a full garbage collection (asked over the IPC channel). */
const measure = (): Promise<UiServerMeasure> =>
  new Promise((resolve) => {
    child.once('message', (m) => {
      resolve(m as UiServerMeasure);
    });
    child.send('measure');
  });

/** Measures until the server has let go of every stream and connection (closing a socket takes a turn). */
async function settled(): Promise<UiServerMeasure> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = await measure();
    if ((m.streams === 0 && m.followedRuns === 0 && m.connections === 0) || Date.now() > deadline) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens an event stream, waits for its first snapshot, then drops the connection. */
function openAndDrop(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), (res) => {
      res.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('data: ')) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-web-streams-'));
  await mkdir(join(home, 'runs', RUN), { recursive: true });
  // A view of about 250 KB: one kept alive per dropped stream would add 50 MB (over a third of the RSS),
  // while the 20 in flight at a time stay a few MB.
  const events = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      time: new Date().toISOString(),
      scope: 'stack',
      id: `c${i}`,
      title: `C ${i}`,
      phase: 'start',
    }),
  );
  await writeFile(join(home, 'runs', RUN, 'events.jsonl'), `${events.join('\n')}\n`);
  child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(packageRoot, 'test/helpers/ui-server.ts'), home],
    {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => {
      resolve(d.toString().trim());
    });
    child.once('exit', (code) => {
      reject(new Error(`the UI exited with ${String(code)}`));
    });
  });
}, 60_000);

afterAll(async () => {
  child.kill('SIGTERM');
  await rm(home, { recursive: true, force: true });
});

describe('event streams', () => {
  it('200 streams opened and dropped leave no stream, follower or socket behind, nor their views on the heap', async () => {
    // Warm-up, 20 at a time as below: loading code, filling caches and growing the heap to hold 20 views
    // at once happen here, once; what follows must leave nothing more behind.
    const round = (): Promise<unknown> =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          openAndDrop(i % 4 === 0 ? 'api/clusters/live' : `api/runs/${RUN}/live`),
        ),
      );
    for (let i = 0; i < 3; i++) await round();
    const before = await settled();
    for (let i = 0; i < 10; i++) await round();
    const after = await settled();
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `UI server after a full GC: heap ${mib(before.heapUsed)} MiB before, ${mib(after.heapUsed)} MiB after ` +
        `200 streams (RSS ${mib(before.rss)} -> ${mib(after.rss)} MiB)`,
    );
    expect({
      streams: after.streams,
      followedRuns: after.followedRuns,
      connections: after.connections,
    }).toEqual({
      streams: 0,
      followedRuns: 0,
      connections: 0,
    });
    // One ~250 KB view kept per dropped stream would be 50 MB more; code and caches warmed up above.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(20 * 2 ** 20);
  });
});
