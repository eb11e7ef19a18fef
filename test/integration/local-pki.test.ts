import { readdir, readFile, rm, stat, mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deleteCluster } from '../../src/api/cluster.js';
import { clusterPkiPaths, COMPONENT_USERS, type ClusterPki } from '../../src/cluster/providers/local/pki.js';
import { binaryPaths, pinnedVersions } from '../../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../../src/config/paths.js';
import { RunError } from '../../src/errors/index.js';
import { exec } from '../../src/exec/index.js';
import { runCli } from '../helpers/cli.js';
import { expectComponentsAsOwnUsers } from '../helpers/component-users.js';
import { uniqueName } from './harness.js';

/** A cluster of this file's own, so that its files and ports are known to be this cluster's. */
const name = uniqueName('pki');
let home: string;
let env: NodeJS.ProcessEnv;
let pki: ClusterPki;
let ports: { etcd: number; apiServer: number; kwok: number };

interface Answer {
  status: number;
  body: string;
}

/** One HTTPS request that trusts only `ca`, with a client certificate when given one. */
async function https(
  url: string,
  tls: { ca: string; cert?: string; key?: string },
  body?: string,
): Promise<Answer> {
  const [ca, cert, key] = await Promise.all(
    [tls.ca, tls.cert, tls.key].map((p) => (p ? readFile(p) : Promise.resolve(undefined))),
  );
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca,
        ...(cert && key ? { cert, key } : {}),
        timeout: 10_000,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-pki-'));
  env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  const created = await runCli(['cluster', 'create', '--name', name, '--nodes', '1'], env);
  expect(created.code, created.stderr).toBe(0);
  const dir = join(home, 'clusters', name);
  pki = clusterPkiPaths(dir);
  const options = parseAllDocuments(await readFile(join(dir, 'kwok.yaml'), 'utf8'))
    .map((d) => d.toJS() as { kind?: string; options?: Record<string, number> })
    .find((d) => d.kind === 'KwokctlConfiguration')?.options;
  ports = {
    etcd: options?.etcdPort ?? 0,
    apiServer: options?.kubeApiserverPort ?? 0,
    kwok: options?.kwokControllerPort ?? 0,
  };
});

afterAll(async () => {
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe('the local cluster PKI', () => {
  it('etcd refuses clients without a certificate, or with one the cluster CA signed, and serves the API server’s', async () => {
    const url = `https://127.0.0.1:${String(ports.etcd)}/version`;
    await expect(https(url, { ca: pki.etcdCa.cert })).rejects.toThrow();
    await expect(https(url, { ca: pki.etcdCa.cert, ...pki.admin })).rejects.toThrow();
    const answer = await https(url, { ca: pki.etcdCa.cert, ...pki.apiServerEtcdClient });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('etcdserver');
  });

  it('keeps every private key and the encryption key readable by their owner only', async () => {
    const files = (await readdir(home, { recursive: true }))
      .filter((f) => f.endsWith('.key') || f.endsWith('encryption-config.yaml'))
      .map((f) => join(home, f));
    expect(files.length).toBeGreaterThanOrEqual(14);
    const open = [];
    for (const file of files) if (((await stat(file)).mode & 0o077) !== 0) open.push(file);
    expect(open).toEqual([]);
  });

  it('stores Secrets encrypted in etcd', async () => {
    const { kubectl } = binaryPaths(await pinnedVersions(), cacheDir());
    await exec(
      kubectl,
      [
        '--context',
        `cncfdemo-${name}`,
        'create',
        'secret',
        'generic',
        'sealed',
        '--from-literal=word=swordfish',
      ],
      { env },
    );
    const key = Buffer.from('/registry/secrets/default/sealed').toString('base64');
    const answer = await https(
      `https://127.0.0.1:${String(ports.etcd)}/v3/kv/range`,
      { ca: pki.etcdCa.cert, ...pki.apiServerEtcdClient },
      JSON.stringify({ key }),
    );
    const value = (JSON.parse(answer.body) as { kvs?: { value: string }[] }).kvs?.[0]?.value ?? '';
    const stored = Buffer.from(value, 'base64').toString('latin1');
    expect(stored.startsWith('k8s:enc:secretbox:v1:key1:')).toBe(true);
    expect(stored).not.toContain('swordfish');
  });

  it('answers anonymous requests only on the health paths', async () => {
    const api = `https://127.0.0.1:${String(ports.apiServer)}`;
    expect((await https(`${api}/api`, { ca: pki.ca.cert })).status).toBe(401);
    expect((await https(`${api}/version`, { ca: pki.ca.cert })).status).toBe(401);
    expect(await https(`${api}/livez`, { ca: pki.ca.cert })).toEqual({ status: 200, body: 'ok' });
    expect((await https(`${api}/api`, { ca: pki.ca.cert, ...pki.admin })).status).toBe(200);
  });

  it('runs the controller-manager, the scheduler and kwok as users of their own, kwok with only its rights', async () => {
    const { kubectl } = binaryPaths(await pinnedVersions(), cacheDir());
    await expectComponentsAsOwnUsers(join(home, 'clusters', name), kubectl);
    const can = async (...args: string[]): Promise<string> =>
      (
        await exec(
          kubectl,
          [
            '--context',
            `cncfdemo-${name}`,
            'auth',
            'can-i',
            '--as',
            COMPONENT_USERS['kwok-controller'],
            ...args,
          ],
          { env },
        ).catch((err: unknown) => ({ stdout: err instanceof RunError ? err.output : String(err) }))
      ).stdout
        .trim()
        .split('\n')
        .at(-1) ?? '';
    expect(await can('patch', 'pods', '--subresource=status')).toBe('yes');
    expect(await can('get', 'secrets')).toBe('no');
    expect(await can('delete', 'nodes')).toBe('no');
  });

  it('serves no profiling endpoints: neither kwok’s nor the API server’s', async () => {
    const kwok = await https(`https://127.0.0.1:${String(ports.kwok)}/debug/pprof/`, { ca: pki.ca.cert });
    expect(kwok.status).not.toBe(200);
    expect(kwok.body).toContain('profiling endpoint is disabled');
    expect((await https(`https://127.0.0.1:${String(ports.kwok)}/healthz`, { ca: pki.ca.cert })).status).toBe(
      200,
    );
    const api = await https(`https://127.0.0.1:${String(ports.apiServer)}/debug/pprof/`, {
      ca: pki.ca.cert,
      ...pki.admin,
    });
    expect(api.status).toBe(404);
  });
});
