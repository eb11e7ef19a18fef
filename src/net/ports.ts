/**
 * TCP ports on this machine: a free one to listen on, and whether one is in use.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A TCP port on `host` that was free a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not allocate a local port'));
      });
    });
  });
}

/** Whether something on this machine listens on host:port already. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(true);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => {
        resolve(false);
      });
    });
  });
}

/** The kernel's ephemeral port range: where port-0 listeners and outgoing connections get their ports. */
async function ephemeralRange(): Promise<[number, number]> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const [low, high] = text.trim().split(/\s+/).map(Number);
  return low && high ? [low, high] : [32768, 60999];
}

/** Ports handed out as reserved: below Linux's default ephemeral range and above common services. */
const RESERVED_LOW = 20000;

/**
 * A free TCP port outside the kernel's ephemeral range, for a process that starts listening only seconds
 * later (a cluster's metrics-server, a node's kubelet). A port the OS picked (freePort) can meanwhile be
 * given to any other process's outgoing connection or port-0 listener; one outside the range cannot.
 * Ports in `avoid` are skipped (ones other clusters have saved).
 */
export async function reservedPort(
  avoid: ReadonlySet<number> = new Set(),
  host = '127.0.0.1',
): Promise<number> {
  const [low] = await ephemeralRange();
  const high = Math.max(RESERVED_LOW + 1000, low - 1);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = RESERVED_LOW + Math.floor(Math.random() * (high - RESERVED_LOW));
    if (!avoid.has(port) && !(await portInUse(port, host))) return port;
  }
  return freePort(host); // that range is crowded: the OS's choice, with its race, rather than none
}
