import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exec } from '../../../../exec/index.js';

export interface ClientCertificate {
  cert: string;
  key: string;
}

/**
 * Signs a client certificate for one component with the cluster's CA (openssl; Node has no X.509
 * issuing API). The kubelet gets `system:node:<name>` in `system:nodes`, so the Node authorizer and
 * NodeRestriction scope it to its own node; kube-proxy gets `system:kube-proxy`, which the default
 * RBAC binds to `system:node-proxier`. The private key is written 0600.
 */
export async function signClientCertificate(
  exec: Exec,
  ca: { cert: string; key: string },
  subject: { commonName: string; organization?: string },
  out: { dir: string; name: string },
): Promise<ClientCertificate> {
  const cert = join(out.dir, `${out.name}.crt`);
  const key = join(out.dir, `${out.name}.key`);
  const scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-pki-'));
  try {
    const csr = join(scratch, 'req.csr');
    const ext = join(scratch, 'ext.cnf');
    await writeFile(
      ext,
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
    );
    const subj = `${subject.organization ? `/O=${subject.organization}` : ''}/CN=${subject.commonName}`;
    await exec('openssl', [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      subj,
      '-out',
      csr,
    ]);
    await chmod(key, 0o600);
    await exec('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-CAserial',
      join(scratch, 'ca.srl'),
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { cert, key };
}
