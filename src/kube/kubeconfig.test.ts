import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { loadKubeconfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const config = (opts: {
  current?: string;
  cluster: string;
  server: string;
  user: string;
  context: string;
  namespace?: string;
}): string => `
apiVersion: v1
kind: Config
${opts.current ? `current-context: ${opts.current}` : ''}
clusters:
- name: ${opts.cluster}
  cluster: {server: "${opts.server}", certificate-authority: ca.crt}
users:
- name: ${opts.user}
  user: {token: token-of-${opts.user}}
contexts:
- name: ${opts.context}
  context: {cluster: ${opts.cluster}, user: ${opts.user}${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}
`;

const first = file(
  'first',
  config({
    current: 'a',
    cluster: 'shared',
    server: 'https://127.0.0.1:1001',
    user: 'alice',
    context: 'a',
    namespace: 'team-a',
  }),
);
const second = file(
  'second',
  config({ current: 'b', cluster: 'shared', server: 'https://127.0.0.1:2002', user: 'alice', context: 'b' }),
);
const noCurrent = file(
  'no-current',
  config({ cluster: 'c', server: 'https://127.0.0.1:3003', user: 'carol', context: 'c' }),
);

function failure(load: () => unknown): UserError | undefined {
  try {
    load();
    return undefined;
  } catch (err) {
    return err as UserError;
  }
}

const env = (...files: string[]): NodeJS.ProcessEnv => ({ KUBECONFIG: files.join(delimiter), HOME: dir });

describe('loadKubeconfig (kubectl merge rules)', () => {
  it("takes current-context from the first file that sets it and the first file's entry for duplicate names", () => {
    const resolved = loadKubeconfig({ env: env(noCurrent, first, second) });
    expect(resolved.contextName).toBe('a');
    // Both files define cluster "shared": the first one wins, the duplicate is not an error.
    expect(resolved.cluster.server).toBe('https://127.0.0.1:1001');
    expect(resolved.user.token).toBe('token-of-alice');
    expect(resolved.namespace).toBe('team-a');
  });

  it('skips $KUBECONFIG entries that do not exist', () => {
    const resolved = loadKubeconfig({ env: env(join(dir, 'missing'), second) });
    expect(resolved.contextName).toBe('b');
    expect(resolved.files).toEqual([second]);
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const resolved = loadKubeconfig({ env: env(first) });
    expect(resolved.cluster.caFile).toBe(join(dir, 'ca.crt'));
  });

  it('lets --context pick any merged context, and -n override the namespace', () => {
    const resolved = loadKubeconfig({ env: env(first, second), context: 'b', namespace: 'x' });
    expect(resolved.contextName).toBe('b');
    // Context b names cluster "shared", which the first file defined.
    expect(resolved.cluster.server).toBe('https://127.0.0.1:1001');
    expect(resolved.namespace).toBe('x');
  });

  it('defaults the namespace to "default" when the context names none', () => {
    expect(loadKubeconfig({ env: env(second) }).namespace).toBe('default');
  });

  it('--kubeconfig reads only that file', () => {
    const resolved = loadKubeconfig({ env: env(first), kubeconfig: second });
    expect(resolved.contextName).toBe('b');
    expect(resolved.cluster.server).toBe('https://127.0.0.1:2002');
  });

  it('names the unknown context and lists the known ones', () => {
    const err = failure(() => loadKubeconfig({ env: env(first, second), context: 'nope' }));
    expect(err).toBeInstanceOf(UserError);
    expect(err?.message).toContain('context "nope" not found');
    expect(err?.hint).toContain('a, b');
  });

  it('fails with a hint when no current context is set', () => {
    const err = failure(() => loadKubeconfig({ env: env(noCurrent) }));
    expect(err?.message).toContain('no current context');
    expect(err?.hint).toContain('--context');
  });

  it('fails with a hint when there is no kubeconfig at all', () => {
    const err = failure(() => loadKubeconfig({ env: env(join(dir, 'missing')) }));
    expect(err?.message).toContain('no kubeconfig found');
  });

  it('rejects a --kubeconfig that does not exist', () => {
    const err = failure(() => loadKubeconfig({ env: {}, kubeconfig: join(dir, 'nope') }));
    expect(err?.message).toContain('does not exist');
  });

  it('reports a context whose user is missing', () => {
    const broken = file(
      'broken',
      config({
        current: 'z',
        cluster: 'z',
        server: 'https://127.0.0.1:9',
        user: 'zed',
        context: 'z',
      }).replace(/users:\n- name: zed\n.*\n/, 'users: []\n'),
    );
    const err = failure(() => loadKubeconfig({ env: env(broken) }));
    expect(err?.message).toContain('user "zed"');
  });
});
