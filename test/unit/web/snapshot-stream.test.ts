import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotStream } from '../../../src/web/http.js';

/**
 * A slow client cannot grow the server's memory: over a real loopback connection whose reader is paused,
 * the stream keeps at most one snapshot written ahead and one pending, dropping those in between.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  server = undefined;
});

function listen(
  onStream: (stream: SnapshotStream, res: import('node:http').ServerResponse) => void,
): Promise<string> {
  server = createServer((_req, res) => {
    onStream(new SnapshotStream(res, () => undefined), res);
  });
  return new Promise((resolve) => {
    server?.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}/`);
    });
  });
}

describe('SnapshotStream', () => {
  it('drops snapshots a paused client has not drained, and delivers the newest once it reads', async () => {
    const big = 'x'.repeat(1024 * 1024);
    let buffered = 0;
    let serverSide: import('node:http').ServerResponse | undefined;
    let stream: SnapshotStream | undefined;
    const url = await listen((s, res) => {
      stream = s;
      serverSide = res;
    });
    const response = await new Promise<IncomingMessage>((resolve) => request(url, resolve).end());
    response.pause();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 200; i++) {
      stream?.push({ i, big });
      buffered = Math.max(buffered, serverSide?.writableLength ?? 0);
    }
    // 200 MiB pushed; what waits in the server is about one snapshot.
    expect(buffered).toBeLessThan(3 * 1024 * 1024);

    const seen: number[] = [];
    let text = '';
    response.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const events = text.split('\n\n');
      text = events.pop() ?? '';
      for (const e of events)
        if (e.startsWith('data: ')) seen.push((JSON.parse(e.slice(6)) as { i: number }).i);
    });
    response.resume();
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        reject(new Error(`saw ${seen.join(',')}`));
      }, 10_000);
      const check = setInterval(() => {
        if (seen.at(-1) === 199) {
          clearInterval(check);
          clearTimeout(deadline);
          resolve();
        }
      }, 20);
    });
    expect(seen.length).toBeLessThan(10);
    expect(seen[0]).toBe(0);
    response.destroy();
  });

  it('runs onClose once when the client goes away, and ignores pushes after', async () => {
    let closes = 0;
    let stream: SnapshotStream | undefined;
    server = createServer((_req, res) => {
      stream = new SnapshotStream(res, () => (closes += 1));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const response = await new Promise<IncomingMessage>((resolve) => request(url, resolve).end());
    response.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(closes).toBe(1);
    expect(stream?.closed).toBe(true);
    stream?.push({ late: true });
    expect(closes).toBe(1);
  });
});
