import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../exec/index.js';
import { ensureSecrets, hostSecrets, type MetalSecrets } from './secrets.js';

let dir: string;
let secrets: MetalSecrets;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cncfdemo-metal-secrets-'));
  secrets = await ensureSecrets(exec, join(dir, 'secrets'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('metal secrets', () => {
  it('a kubeadm token, a 32-byte certificate key and a CA, kept 0600 in a 0700 directory', async () => {
    expect(secrets.joinToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(secrets.certificateKey).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(dir, 'secrets'))).mode & 0o777).toBe(0o700);
    for (const f of ['join-token', 'certificate-key', 'ca.key']) {
      expect((await stat(join(dir, 'secrets', f))).mode & 0o777).toBe(0o600);
    }
  });

  it("the CA pin is kubeadm's: the SHA-256 of the certificate's public key, as openssl computes it", async () => {
    const script = `openssl x509 -pubkey -in "$1" | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`;
    const { stdout } = await exec('sh', ['-c', script, 'sh', join(dir, 'secrets', 'ca.crt')]);
    expect(secrets.caCertHash).toBe(`sha256:${stdout.trim()}`);
    const text = await exec('openssl', ['x509', '-noout', '-text', '-in', join(dir, 'secrets', 'ca.crt')]);
    expect(text.stdout).toContain('CA:TRUE');
  });

  it('a second run keeps every secret', async () => {
    expect(await ensureSecrets(exec, join(dir, 'secrets'))).toEqual(secrets);
    expect(await readFile(join(dir, 'secrets', 'join-token'), 'utf8')).toBe(`${secrets.joinToken}\n`);
  });

  it('each host gets only what its part needs', () => {
    expect(Object.keys(hostSecrets('master', 'm1', 'm1', secrets)).sort()).toEqual([
      'ca-cert-hash',
      'ca.crt',
      'ca.key',
      'certificate-key',
      'init-host',
      'join-token',
    ]);
    expect(Object.keys(hostSecrets('master', 'm1', 'm2', secrets)).sort()).toEqual([
      'ca-cert-hash',
      'certificate-key',
      'init-host',
      'join-token',
    ]);
    expect(Object.keys(hostSecrets('minion', 'm1', 'n1', secrets)).sort()).toEqual([
      'ca-cert-hash',
      'join-token',
    ]);
  });
});
