import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exec } from '../../../exec/index.js';
import { kubeconfigTls } from '../../kubeconfig-file.js';
import { type ClusterPki, writeClusterPki } from '../local/pki.js';
import { failingChecks, httpsProbe } from './api-health.js';

const NOT_READY =
  '[+]ping ok\n[-]etcd failed: reason withheld\n[+]poststarthook/start-apiextensions-informers ok\nreadyz check failed\n';

let dir: string;
let pki: ClusterPki;
let server: Server;
let url: string;
/** What /readyz answers; the server checks the client certificate as the API server does. */
let ready = true;

const b64 = async (path: string): Promise<string> => (await readFile(path)).toString('base64');

/** A kubeconfig as a master publishes it: everything embedded as `*-data`. */
async function adminKubeconfig(ca = pki.ca.cert): Promise<string> {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubernetes', cluster: { server: url, 'certificate-authority-data': await b64(ca) } }],
    users: [
      {
        name: 'kubernetes-admin',
        user: {
          'client-certificate-data': await b64(pki.admin.cert),
          'client-key-data': await b64(pki.admin.key),
        },
      },
    ],
    contexts: [{ name: 'admin', context: { cluster: 'kubernetes', user: 'kubernetes-admin' } }],
    'current-context': 'admin',
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-health-'));
  pki = await writeClusterPki(exec, join(dir, 'cluster'));
  server = createServer(
    {
      cert: await readFile(pki.apiServer.cert),
      key: await readFile(pki.apiServer.key),
      ca: await readFile(pki.ca.cert),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      if ((req.socket as Partial<Pick<TLSSocket, 'authorized'>>).authorized !== true) {
        res.writeHead(401).end('Unauthorized');
        return;
      }
      if (req.url !== '/readyz') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(ready ? 200 : 500).end(ready ? 'ok' : NOT_READY);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('httpsProbe with the TLS material of the published kubeconfig', () => {
  it('reaches /readyz with the cluster CA and the admin client certificate', async () => {
    ready = true;
    const tls = kubeconfigTls(await adminKubeconfig());
    expect(Object.keys(tls).sort()).toEqual(['ca', 'cert', 'key']);
    expect(await httpsProbe(`${url}/readyz`, tls)).toEqual({ status: 200, body: 'ok' });
  });

  it('hands back a not-ready answer with the checks that fail', async () => {
    ready = false;
    const answer = await httpsProbe(`${url}/readyz`, kubeconfigTls(await adminKubeconfig()));
    expect(answer.status).toBe(500);
    expect(failingChecks(answer.body)).toEqual(['etcd']);
  });

  it('without the client certificate the server refuses it (401), and says so', async () => {
    ready = true;
    const { ca } = kubeconfigTls(await adminKubeconfig());
    expect((await httpsProbe(`${url}/readyz`, { ...(ca ? { ca } : {}) })).status).toBe(401);
  });

  it('rejects a server whose certificate the given CA did not sign', async () => {
    // The etcd CA signed no API server certificate.
    const tls = kubeconfigTls(await adminKubeconfig(pki.etcdCa.cert));
    await expect(httpsProbe(`${url}/readyz`, tls)).rejects.toThrow(/certificate/);
  });

  it('rejects when nothing listens', async () => {
    const tls = kubeconfigTls(await adminKubeconfig());
    await expect(httpsProbe('https://127.0.0.1:1/readyz', tls)).rejects.toThrow(/ECONNREFUSED/);
  });
});
