import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheDir } from '../../src/config/paths.js';

/** moto in server mode on a loopback port: the AWS APIs the tests run against (instances never boot). */
export interface Moto {
  endpoint: string;
  /** Back to an empty account (every resource of every service gone). */
  reset(): Promise<void>;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** The pinned moto scripts/setup.sh installs into its venv; else one on PATH. */
function motoServer(): string {
  const venv = join(cacheDir(), 'venv', 'bin', 'moto_server');
  return existsSync(venv) ? venv : 'moto_server';
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoServer(), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    // IAM's AWS-managed policies exist as on AWS (policies attached by ARN resolve).
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  await waitForHttp(`${endpoint}/moto-api/`, child);
  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset: HTTP ${response.status}`);
    },
    stop() {
      child.kill();
    },
  };
}

/**
 * Env for cncfdemo against moto: fake keys (moto accepts any), nothing from the user's AWS files, and no
 * instance-metadata look-up (the SDK's credential chain would otherwise dial 169.254.169.254).
 */
export function motoEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
