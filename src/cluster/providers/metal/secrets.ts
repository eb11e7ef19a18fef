import { createHash, randomBytes, randomInt, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exec } from '../../../exec/index.js';
import type { NodeRole } from '../../node/render.js';
import { writeSelfSignedCa } from '../local/pki.js';

/** The cluster's bootstrap secrets, made once and kept in its home so that every run renders the same seeds. */
export interface MetalSecrets {
  /** kubeadm's bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`, with no expiry (as on aws). */
  joinToken: string;
  /** kubeadm's key for the control-plane certificates it uploads (`--upload-certs`), 32 bytes in hex. */
  certificateKey: string;
  caCert: string;
  caKey: string;
  /** `sha256:<hex>` of the CA's public key: what joining nodes pin. */
  caCertHash: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const token = (length: number): string =>
  Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Reads the cluster's secrets from `dir` (0700), making the missing ones. */
export async function ensureSecrets(exec: Exec, dir: string): Promise<MetalSecrets> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const kept = async (file: string, make: () => string): Promise<string> => {
    const path = join(dir, file);
    const old = await readFile(path, 'utf8').catch(() => undefined);
    if (old !== undefined && old.trim() !== '') return old.trim();
    const value = make();
    await writeFile(path, `${value}\n`, { mode: 0o600 });
    return value;
  };
  const joinToken = await kept('join-token', () => `${token(6)}.${token(16)}`);
  const certificateKey = await kept('certificate-key', () => randomBytes(32).toString('hex'));
  const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  const [caCert, caKey] = await Promise.all(
    [ca.cert, ca.key].map((f) => readFile(f, 'utf8').catch(() => undefined)),
  );
  if (caCert === undefined || caKey === undefined) await writeSelfSignedCa(exec, ca, 'kubernetes');
  const cert = caCert ?? (await readFile(ca.cert, 'utf8'));
  return {
    joinToken,
    certificateKey,
    caCert: cert,
    caKey: caKey ?? (await readFile(ca.key, 'utf8')),
    caCertHash: caCertHash(cert),
  };
}

/** kubeadm's CA pin: the SHA-256 of the certificate's SubjectPublicKeyInfo. */
export function caCertHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/**
 * The files one host reads from its secrets directory (the node script's `secret NAME`): each only what
 * its part needs. The init master gets the CA to run kubeadm init with; other masters the certificate key
 * to fetch the control-plane certificates; minions only the token and the CA pin.
 */
export function hostSecrets(
  role: NodeRole,
  initHost: string,
  host: string,
  s: MetalSecrets,
): Record<string, string> {
  const common = { 'join-token': s.joinToken, 'ca-cert-hash': s.caCertHash };
  if (role === 'minion') return common;
  return {
    ...common,
    'certificate-key': s.certificateKey,
    'init-host': initHost,
    ...(host === initHost ? { 'ca.crt': s.caCert, 'ca.key': s.caKey } : {}),
  };
}
