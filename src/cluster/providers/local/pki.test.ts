import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exec } from '../../../exec/index.js';
import {
  type ClusterPki,
  COMPONENT_USERS,
  ensureComponentIdentities,
  extensions,
  writeClusterPki,
} from './pki.js';

let dir: string;
let pki: ClusterPki;
const cert = async (path: string): Promise<X509Certificate> => new X509Certificate(await readFile(path));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pki-'));
  pki = await writeClusterPki(exec, join(dir, 'cluster'), ['198.18.0.1']);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeClusterPki', () => {
  it('writes every private key and the encryption key for their owner only, in a 0700 directory', async () => {
    const files = (await readdir(pki.dir, { recursive: true })).filter(
      (f) => f.endsWith('.key') || f.endsWith('.yaml'),
    );
    expect(files).toHaveLength(15); // 14 keys and the encryption configuration (components' come at start)
    for (const f of files) expect(((await stat(join(pki.dir, f))).mode & 0o777).toString(8), f).toBe('600');
    expect(((await stat(pki.dir)).mode & 0o777).toString(8)).toBe('700');
  });

  it('signs etcd certificates with the etcd CA only, so no cluster certificate opens etcd', async () => {
    const [clusterCa, etcdCa] = await Promise.all([cert(pki.ca.cert), cert(pki.etcdCa.cert)]);
    for (const pair of [pki.etcdServer, pki.etcdPeer, pki.apiServerEtcdClient]) {
      const c = await cert(pair.cert);
      expect(c.verify(etcdCa.publicKey), pair.cert).toBe(true);
      expect(c.verify(clusterCa.publicKey), pair.cert).toBe(false);
    }
    expect((await cert(pki.admin.cert)).verify(etcdCa.publicKey)).toBe(false);
    expect(
      (await cert(pki.frontProxyClient.cert)).verify((await cert(pki.frontProxyCa.cert)).publicKey),
    ).toBe(true);
  });

  it("makes the cluster Prometheus's client a member of system:monitoring only, signed by the cluster CA", async () => {
    const c = await cert(pki.monitoring.cert);
    expect(c.verify((await cert(pki.ca.cert)).publicKey)).toBe(true);
    expect(c.subject.split('\n').sort()).toEqual(['CN=cncfdemo-prometheus', 'O=system:monitoring']);
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
  });

  it('names loopback, the kubernetes Service and the extra addresses in the API server certificate', async () => {
    const api = await cert(pki.apiServer.cert);
    expect(api.verify((await cert(pki.ca.cert)).publicKey)).toBe(true);
    for (const name of [
      'IP Address:127.0.0.1',
      'DNS:localhost',
      'DNS:kubernetes.default.svc',
      'IP Address:198.18.0.1',
    ]) {
      expect(api.subjectAltName).toContain(name);
    }
    expect(api.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect((await cert(pki.admin.cert)).subject).toContain('O=system:masters');
    expect((await cert(pki.admin.cert)).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect((await cert(pki.ca.cert)).ca).toBe(true);
  });

  it('gives every purpose a key of its own, and the cluster an encryption key of its own', async () => {
    const keys = await Promise.all(
      [pki.ca, pki.admin, pki.apiServer, pki.frontProxyClient, pki.etcdServer].map((p) =>
        readFile(p.key, 'utf8'),
      ),
    );
    expect(new Set([...keys, await readFile(pki.serviceAccount.key, 'utf8')]).size).toBe(6);
    const config = parse(await readFile(pki.encryptionConfig, 'utf8')) as {
      resources: { resources: string[]; providers: { secretbox?: { keys: { secret: string }[] } }[] }[];
    };
    expect(config.resources[0]?.resources).toEqual(['secrets']);
    const secret = config.resources[0]?.providers[0]?.secretbox?.keys[0]?.secret ?? '';
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
  });
});

describe('ensureComponentIdentities', () => {
  it('gives each component a client certificate for its user, signed by the cluster CA, and a 0600 kubeconfig', async () => {
    const clusterDir = join(dir, 'cluster');
    await ensureComponentIdentities(exec, clusterDir, 'https://127.0.0.1:6443');
    const ca = await cert(pki.ca.cert);
    for (const [component, user] of Object.entries(COMPONENT_USERS)) {
      const own = pki.components[component as keyof typeof COMPONENT_USERS];
      const c = await cert(own.cert);
      expect(c.verify(ca.publicKey), component).toBe(true);
      expect(c.subject, component).toBe(`CN=${user}`);
      expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      expect(((await stat(own.key)).mode & 0o777).toString(8)).toBe('600');
      expect(((await stat(own.kubeconfig)).mode & 0o777).toString(8)).toBe('600');
      const kubeconfig = parse(await readFile(own.kubeconfig, 'utf8')) as {
        clusters: { cluster: { server: string; 'certificate-authority': string } }[];
        users: { name: string; user: { 'client-certificate': string; 'client-key': string } }[];
      };
      expect(kubeconfig.clusters[0]?.cluster).toEqual({
        server: 'https://127.0.0.1:6443',
        'certificate-authority': pki.ca.cert,
      });
      expect(kubeconfig.users[0]).toEqual({
        name: user,
        user: { 'client-certificate': own.cert, 'client-key': own.key },
      });
    }
  });

  it('keeps the certificates it made on the next start, and makes only those missing', async () => {
    const clusterDir = join(dir, 'cluster');
    const before = await readFile(pki.components['kube-scheduler'].key, 'utf8');
    await rm(pki.components['kwok-controller'].cert);
    await ensureComponentIdentities(exec, clusterDir, 'https://127.0.0.1:6443');
    expect(await readFile(pki.components['kube-scheduler'].key, 'utf8')).toBe(before);
    expect((await cert(pki.components['kwok-controller'].cert)).subject).toBe('CN=system:kwok-controller');
  });
});

describe('extensions', () => {
  it('writes IP and DNS names apart, once each', () => {
    expect(extensions({ usage: 'peer', names: ['127.0.0.1', 'localhost', '127.0.0.1'] })).toBe(
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' +
        'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
  });
});
