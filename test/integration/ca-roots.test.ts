import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../src/config/paths.js';
import { isOneLineError } from '../helpers/cli.js';
import { testCluster } from './harness.js';

/**
 * bin/cncfdemo starts help, --version and the kubectl-like commands with Node's default roots deferred
 * (src/config/ca-roots.ts) and keeps what they are for: an API server whose kubeconfig has no CA is
 * trusted through $NODE_EXTRA_CA_CERTS, and child processes start with the user's variables.
 */
interface NamedCluster {
  name: string;
  cluster: Record<string, unknown>;
}
interface Kubeconfig {
  clusters: NamedCluster[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

let dir: string;
let caFile: string;
let noCaKubeconfig: string;

/** Runs the CLI as users do (bin/cncfdemo, a fresh process) with the given environment changes. */
function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(packageRoot, 'bin', 'cncfdemo'), args, {
      // A cache of its own: the first run of a command compiles the fast bundle, later ones use its code cache.
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: undefined,
        CNCFDEMO_HOME: dir,
        CNCFDEMO_CACHE: join(dir, 'cache'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cncfdemo-ca-roots-'));
  const { kubeconfig, context } = testCluster();
  const config = parse(await readFile(kubeconfig, 'utf8')) as Kubeconfig;
  const ctx = config.contexts.find((c) => c.name === context);
  const cluster = config.clusters.find((c) => c.name === ctx?.context.cluster);
  const user = config.users.find((u) => u.name === ctx?.context.user);
  if (!ctx || !cluster || !user) throw new Error(`context ${context} is not complete in ${kubeconfig}`);
  const data = cluster.cluster['certificate-authority-data'];
  const pem =
    typeof data === 'string'
      ? Buffer.from(data, 'base64').toString('utf8')
      : await readFile(String(cluster.cluster['certificate-authority']), 'utf8');
  caFile = join(dir, 'extra-ca.pem');
  await writeFile(caFile, pem);
  // The same cluster with no CA of its own, and a user whose exec plugin records the variable it sees.
  const withoutCa = { ...cluster.cluster };
  delete withoutCa['certificate-authority-data'];
  delete withoutCa['certificate-authority'];
  const plugin = join(dir, 'plugin.sh');
  await writeFile(
    plugin,
    `#!/bin/sh\nprintf '%s|%s' "$NODE_EXTRA_CA_CERTS" "\${SSL_CERT_FILE-unset}" > '${join(dir, 'plugin-saw')}'\n` +
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"not-valid"}}'\n`,
    { mode: 0o755 },
  );
  noCaKubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    noCaKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'no-ca', cluster: withoutCa }],
      users: [
        user,
        {
          name: 'plugin',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: plugin,
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [
        { name: 'no-ca', context: { cluster: 'no-ca', user: user.name } },
        { name: 'plugin', context: { cluster: 'no-ca', user: 'plugin' } },
      ],
      'current-context': 'no-ca',
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NODE_EXTRA_CA_CERTS through bin/cncfdemo', () => {
  it('trusts an API server whose kubeconfig has no CA through the file, read only when needed', async () => {
    const trusted = await cli(['get', 'namespaces', '--kubeconfig', noCaKubeconfig], {
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(trusted.stderr).toBe('');
    expect(trusted.stdout).toMatch(/^kube-system\s/m);
    expect(trusted.code).toBe(0);

    const untrusted = await cli(['get', 'namespaces', '--kubeconfig', noCaKubeconfig], {});
    expect(untrusted.code).not.toBe(0);
    expect(isOneLineError(untrusted.stderr)).toBe(true);
    expect(untrusted.stderr).toMatch(/certificate/i);
  });

  it('starts a credential plugin with NODE_EXTRA_CA_CERTS and SSL_CERT_FILE as the user set them', async () => {
    const runs: [string, NodeJS.ProcessEnv, string][] = [
      ['compiled, SSL_CERT_FILE unset', { SSL_CERT_FILE: undefined }, `${caFile}|unset`],
      ['from the code cache, SSL_CERT_FILE set', { SSL_CERT_FILE: caFile }, `${caFile}|${caFile}`],
    ];
    for (const [when, env, saw] of runs) {
      await rm(join(dir, 'plugin-saw'), { force: true });
      const run = await cli(['get', 'namespaces', '--kubeconfig', noCaKubeconfig, '--context', 'plugin'], {
        NODE_EXTRA_CA_CERTS: caFile,
        ...env,
      });
      // The plugin's token is not valid: the server's answer shows the plugin ran and its token was sent.
      expect(run.stderr, when).toMatch(/^error: Unauthorized/);
      expect(await readFile(join(dir, 'plugin-saw'), 'utf8'), when).toBe(saw);
    }
  });

  it('leaves Node as set when NODE_OPTIONS picks a CA store', async () => {
    const run = await cli(['get', 'namespaces', '--kubeconfig', noCaKubeconfig], {
      NODE_OPTIONS: '--use-bundled-ca',
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  // Node warns at start-up when it cannot read the file: the warning shows which commands it loaded.
  it.each([
    [['--version'], false],
    [['--help'], false],
    [['get', 'pods', '--kubeconfig', '/nonexistent'], false],
    [['status', '--kubeconfig', '/nonexistent'], true],
    [['--version', '--debug'], true],
  ])('%j starts Node with the file: %s', async (args, loaded) => {
    const run = await cli(args, { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') });
    expect(run.stderr.includes('Ignoring extra certs')).toBe(loaded);
  });
});
