import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/paths.js';

/** Event streams opened and dropped by clients leave nothing behind in the server (its own process). */
const RUN = '20991231T235959Z-start-cafe';
let home: string;
let child: ChildProcess;
let url: string;

/** The server's resident memory after a full garbage collection. */
const rssKiB = async (): Promise<number> => {
  child.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  const status = await readFile(`/proc/${child.pid ?? 0}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
};

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
  child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'test/helpers/ui-server.ts'), home], {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
  it('200 streams opened and dropped leave the server within 20 % of its RSS', async () => {
    // Warm-up, 20 at a time as below: loading code, filling caches and growing the heap to hold 20 views
    // at once happen here, once; what follows must leave nothing more behind.
    const round = (): Promise<unknown> =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          openAndDrop(i % 4 === 0 ? 'api/clusters/live' : `api/runs/${RUN}/live`),
        ),
      );
    for (let i = 0; i < 3; i++) await round();
    const before = await rssKiB();
    for (let i = 0; i < 10; i++) await round();
    await new Promise((r) => setTimeout(r, 1000));
    const after = await rssKiB();
    console.log(`UI server RSS: ${before} KiB before, ${after} KiB after 200 streams opened and dropped`);
    expect(after).toBeLessThanOrEqual(before * 1.2);
  });
});
