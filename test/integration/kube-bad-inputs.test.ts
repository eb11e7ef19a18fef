import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exec } from '../../src/exec/index.js';
import { runCli } from '../helpers/cli.js';
import { testCluster, testEnv } from './harness.js';
import { expectOneLineError, loadCases } from '../helpers/bad-inputs.js';

const dir = fileURLToPath(new URL('../fixtures/kube/bad-inputs', import.meta.url));
const cases = loadCases(dir);
const places: Record<string, string> = { '{dir}': dir };

const expand = (text: string): string =>
  Object.entries(places).reduce((t, [key, value]) => t.replaceAll(key, value), text);

beforeAll(async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'kube-bad-inputs-'));
  // A client certificate that no cluster's CA signed: made here so no private key lives in the repository.
  await exec('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(tmp, 'stranger.key'),
    '-out',
    join(tmp, 'stranger.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=stranger/O=system:masters',
  ]);
  const cluster = parse(await readFile(testCluster().kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority': string } }[];
  };
  const first = cluster.clusters[0]?.cluster;
  if (!first) throw new Error('the test kubeconfig has no cluster');
  Object.assign(places, {
    '{kubeconfig}': testCluster().kubeconfig,
    '{kubeconfigs}': tmp,
    '{tmp}': tmp,
    '{server}': first.server,
    '{ca}': first['certificate-authority'],
  });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.kubeconfig'))) {
    await writeFile(join(tmp, file), expand(await readFile(join(dir, file), 'utf8')));
  }
});

describe('bad inputs that need a cluster', () => {
  it('the corpus is well formed', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.every((c) => c.needsCluster === true && c.args.length > 0 && c.error.length > 0)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: one line with a hint, non-zero exit',
    async (_name, c) => {
      const result = await runCli(c.args.map(expand), testEnv(), c.stdin ?? '');
      expectOneLineError(result, expand(c.error));
    },
  );
});
