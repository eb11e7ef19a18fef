import { generateKeyPair, randomBytes } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { UserError } from '../../../errors/index.js';
import type { Exec } from '../../../exec/index.js';

interface Pair {
  cert: string;
  key: string;
}

/**
 * The control-plane processes that reach the API server as a user of their own instead of the admin's,
 * with kubeadm's names where kubeadm has them (the bootstrap RBAC grants those users their rights; kwok's
 * come from manifests/cluster/kwok-rbac.yaml).
 */
export const COMPONENT_USERS = {
  'kube-controller-manager': 'system:kube-controller-manager',
  'kube-scheduler': 'system:kube-scheduler',
  'kwok-controller': 'system:kwok-controller',
} as const;
export type IdentifiedComponent = keyof typeof COMPONENT_USERS;
const IDENTIFIED = Object.keys(COMPONENT_USERS) as IdentifiedComponent[];

/**
 * Where each credential of a local cluster lives, laid out like kubeadm's /etc/kubernetes/pki: a cluster
 * CA, a separate etcd CA (any certificate it signs may read etcd, so it signs only etcd's peers and
 * clients) and a front-proxy CA (whatever it signs may claim any user to aggregated APIs). kwokctl finds
 * ca.crt, admin.crt and admin.key here and makes no PKI of its own; the real node signs its kubelet and
 * kube-proxy client certificates with ca.crt and ca.key.
 */
export function clusterPkiPaths(clusterDir: string) {
  const dir = join(clusterDir, 'pki');
  const pair = (name: string): Pair => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  return {
    dir,
    ca: pair('ca'),
    /** The admin client (system:masters): the kubeconfig of the user and of kwokctl's components. */
    admin: pair('admin'),
    apiServer: pair('apiserver'),
    apiServerKubeletClient: pair('apiserver-kubelet-client'),
    apiServerEtcdClient: pair('apiserver-etcd-client'),
    frontProxyCa: pair('front-proxy-ca'),
    frontProxyClient: pair('front-proxy-client'),
    serviceAccount: { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') },
    etcdCa: pair('etcd/ca'),
    etcdServer: pair('etcd/server'),
    etcdPeer: pair('etcd/peer'),
    /** Each component's client certificate (CN its user name) and kubeconfig (0600), as kubeadm's *.conf. */
    components: Object.fromEntries(
      IDENTIFIED.map((c) => [
        c,
        { ...pair(`${c}-client`), kubeconfig: join(clusterDir, 'kubeconfigs', `${c}.yaml`) },
      ]),
    ) as Record<IdentifiedComponent, Pair & { kubeconfig: string }>,
    /**
     * The cluster's Prometheus's client (group system:monitoring: the bootstrap RBAC lets it read /metrics
     * and the health endpoints, nothing else).
     */
    monitoring: pair('monitoring-client'),
    /** Serving certificates of kwok (the simulated kubelets' endpoint) and metrics-server. */
    kwok: pair('kwok'),
    metricsServer: pair('metrics-server'),
    /** The key Secrets are encrypted with in etcd (an EncryptionConfiguration). */
    encryptionConfig: join(dir, 'encryption-config.yaml'),
    /** Who may call the API server without credentials: health probes only (an AuthenticationConfiguration). */
    authenticationConfig: join(clusterDir, 'authentication-config.yaml'),
  };
}
export type ClusterPki = ReturnType<typeof clusterPkiPaths>;

/** Names every local cluster's API server certificate carries (loopback, and the `kubernetes` Service's names). */
export const API_SERVER_NAMES = [
  '127.0.0.1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  // the `kubernetes` Service's ClusterIP under the API server's default --service-cluster-ip-range
  '10.0.0.1',
];
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];
/** The user the cluster's Prometheus scrapes the API server as. */
const MONITORING_USER = 'cncfdemo-prometheus';
/** The CN of the API server's front-proxy client certificate: the one name it may claim users with. */
export const FRONT_PROXY_CLIENT = 'front-proxy-client';
const TEN_YEARS_DAYS = 3650;

/** peer: server and client both. */
type Usage = 'server' | 'client' | 'peer';
interface Leaf {
  pair: Pair;
  ca: Pair;
  subject: { commonName: string; organization?: string };
  usage: Usage;
  names?: readonly string[];
}

/**
 * Makes every credential of a new cluster: three CAs, one key per purpose (API server serving, admin,
 * front-proxy client, service-account signing, etcd server and peer, the API server's etcd and kubelet
 * clients, the cluster Prometheus's client, kwok and metrics-server serving), a per-cluster Secret
 * encryption key and the anonymous-access rules. Private keys (ECDSA P-256, made here so that no other
 * process sees them) are written 0600 in a 0700 directory. `apiServerNames` are added to the API server's
 * certificate (a real node's addresses).
 */
export async function writeClusterPki(
  exec: Exec,
  clusterDir: string,
  apiServerNames: readonly string[] = [],
): Promise<ClusterPki> {
  const p = clusterPkiPaths(clusterDir);
  await mkdir(join(p.dir, 'etcd'), { recursive: true, mode: 0o700 });
  await chmod(p.dir, 0o700);
  const openssl = opensslIn(exec);
  await Promise.all(
    [p.ca, p.etcdCa, p.frontProxyCa].map(async (ca) => {
      await writePrivateKey(ca.key);
    }),
  );
  await openssl.selfSignedCa(p.ca, 'cncfdemo-ca');
  await openssl.selfSignedCa(p.etcdCa, 'cncfdemo-etcd-ca');
  await openssl.selfSignedCa(p.frontProxyCa, 'cncfdemo-front-proxy-ca');
  const leaves: Leaf[] = [
    {
      pair: p.apiServer,
      ca: p.ca,
      subject: { commonName: 'kube-apiserver' },
      usage: 'server',
      names: [...API_SERVER_NAMES, ...apiServerNames],
    },
    {
      pair: p.admin,
      ca: p.ca,
      subject: { commonName: 'cncfdemo-admin', organization: 'system:masters' },
      usage: 'client',
    },
    {
      pair: p.apiServerKubeletClient,
      ca: p.ca,
      subject: { commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters' },
      usage: 'client',
    },
    { pair: p.kwok, ca: p.ca, subject: { commonName: 'kwok' }, usage: 'server', names: LOOPBACK_NAMES },
    {
      pair: p.metricsServer,
      ca: p.ca,
      subject: { commonName: 'metrics-server' },
      usage: 'server',
      names: LOOPBACK_NAMES,
    },
    {
      pair: p.monitoring,
      ca: p.ca,
      subject: { commonName: MONITORING_USER, organization: 'system:monitoring' },
      usage: 'client',
    },
    {
      pair: p.frontProxyClient,
      ca: p.frontProxyCa,
      subject: { commonName: FRONT_PROXY_CLIENT },
      usage: 'client',
    },
    // Server and client, as kubeadm's: etcd's HTTP gateway (/v3/...) dials etcd's own gRPC with this one.
    {
      pair: p.etcdServer,
      ca: p.etcdCa,
      subject: { commonName: 'etcd-server' },
      usage: 'peer',
      names: LOOPBACK_NAMES,
    },
    {
      pair: p.etcdPeer,
      ca: p.etcdCa,
      subject: { commonName: 'etcd-peer' },
      usage: 'peer',
      names: LOOPBACK_NAMES,
    },
    {
      pair: p.apiServerEtcdClient,
      ca: p.etcdCa,
      subject: { commonName: 'kube-apiserver-etcd-client' },
      usage: 'client',
    },
  ];
  await Promise.all(
    leaves.map(async (leaf) => {
      await writePrivateKey(leaf.pair.key);
      await openssl.sign(leaf);
    }),
  );
  await writeServiceAccountKeys(p.serviceAccount);
  await writeSecretFile(p.encryptionConfig, encryptionConfiguration(randomBytes(32)));
  await writeFile(p.authenticationConfig, authenticationConfiguration());
  return p;
}

/**
 * Gives each of COMPONENT_USERS its client certificate (signed by the cluster CA) unless it has one, and
 * writes its kubeconfig for `server`. Run on create and on every start, so that a cluster made before the
 * components had users of their own gets them.
 */
export async function ensureComponentIdentities(
  exec: Exec,
  clusterDir: string,
  server: string,
): Promise<void> {
  const p = clusterPkiPaths(clusterDir);
  const openssl = opensslIn(exec);
  await mkdir(join(clusterDir, 'kubeconfigs'), { recursive: true, mode: 0o700 });
  await Promise.all(
    IDENTIFIED.map(async (component) => {
      const own = p.components[component];
      if (!(await exists(own.key)) || !(await exists(own.cert))) {
        await writePrivateKey(own.key);
        await openssl.sign({
          pair: own,
          ca: p.ca,
          subject: { commonName: COMPONENT_USERS[component] },
          usage: 'client',
        });
      }
      const kubeconfig = componentKubeconfig(COMPONENT_USERS[component], server, p.ca.cert, own);
      // unchanged, it is left alone: a component starting meanwhile never reads a half-written file
      const current = await readFile(own.kubeconfig, 'utf8').catch(() => '');
      if (current !== kubeconfig) await writeSecretFile(own.kubeconfig, kubeconfig);
    }),
  );
}

/** A kubeconfig naming the certificate files (not embedding them), like kwokctl's admin one. */
export function componentKubeconfig(user: string, server: string, ca: string, pair: Pair): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'certificate-authority': ca } }],
    users: [{ name: user, user: { 'client-certificate': pair.cert, 'client-key': pair.key } }],
    contexts: [{ name: user, context: { cluster: 'local', user } }],
    'current-context': user,
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * One self-signed CA (an ECDSA P-256 key, 0600, and its ten-year certificate), as writeClusterPki makes
 * its three; the metal provider hands one to kubeadm init so that joining nodes can pin its hash up front.
 */
export async function writeSelfSignedCa(exec: Exec, ca: Pair, commonName: string): Promise<void> {
  await writePrivateKey(ca.key);
  await opensslIn(exec).selfSignedCa(ca, commonName);
}

/** Secrets sealed with secretbox (XSalsa20-Poly1305) under a key of this cluster's own. */
export function encryptionConfiguration(key: Buffer): string {
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: ['secrets'],
        providers: [{ secretbox: { keys: [{ name: 'key1', secret: key.toString('base64') }] } }],
      },
    ],
  });
}

/** Requests without credentials are refused (401) except the health probes', as a load balancer's would be. */
export function authenticationConfiguration(): string {
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
  });
}

const generateEcKey = promisify(generateKeyPair);

async function newEcKey(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateEcKey('ec', { namedCurve: 'prime256v1' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function writePrivateKey(path: string): Promise<string> {
  const { privatePem, publicPem } = await newEcKey();
  await writeSecretFile(path, privatePem);
  return publicPem;
}

async function writeServiceAccountKeys(paths: { key: string; pub: string }): Promise<void> {
  const publicPem = await writePrivateKey(paths.key);
  await writeFile(paths.pub, publicPem);
}

/** Created 0600 (and set so if it existed), so that no other user ever reads it. */
async function writeSecretFile(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

const EXTENDED_USAGE: Record<Usage, string> = {
  server: 'serverAuth',
  client: 'clientAuth',
  peer: 'serverAuth,clientAuth',
};

/** Certificates through openssl (Node has no X.509 issuing API); the keys are made beforehand. */
function opensslIn(exec: Exec) {
  const run = async (args: string[]): Promise<void> => {
    try {
      await exec('openssl', args);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UserError(
          "openssl is not installed: the local cluster's certificates are made with it",
          'install it (apt-get install openssl, dnf install openssl, brew install openssl) and retry',
        );
      }
      throw err;
    }
  };
  const serial = (): string =>
    `0x${randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1')}`;
  return {
    selfSignedCa: (ca: Pair, commonName: string): Promise<void> =>
      run([
        'req',
        '-x509',
        '-new',
        '-key',
        ca.key,
        '-subj',
        `/CN=${commonName}`,
        '-days',
        String(TEN_YEARS_DAYS),
        '-sha256',
        '-set_serial',
        serial(),
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        '-out',
        ca.cert,
      ]),
    async sign(leaf: Leaf): Promise<void> {
      const scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-pki-'));
      try {
        const csr = join(scratch, 'req.csr');
        const ext = join(scratch, 'ext.cnf');
        await writeFile(ext, extensions(leaf));
        const { commonName, organization } = leaf.subject;
        const subj = `${organization ? `/O=${organization}` : ''}/CN=${commonName}`;
        await run(['req', '-new', '-key', leaf.pair.key, '-subj', subj, '-out', csr]);
        await run([
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          leaf.ca.cert,
          '-CAkey',
          leaf.ca.key,
          '-set_serial',
          serial(),
          '-days',
          String(TEN_YEARS_DAYS),
          '-sha256',
          '-extfile',
          ext,
          '-out',
          leaf.pair.cert,
        ]);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** The X.509 v3 extensions of a leaf certificate, as an openssl extension file. */
export function extensions(leaf: Pick<Leaf, 'usage' | 'names'>): string {
  const lines = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    `extendedKeyUsage=${EXTENDED_USAGE[leaf.usage]}`,
  ];
  const names = [...new Set(leaf.names ?? [])];
  if (names.length > 0) {
    const ip = /^(\d{1,3}\.){3}\d{1,3}$|:/;
    lines.push(`subjectAltName=${names.map((n) => (ip.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}
