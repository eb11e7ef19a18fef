import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'doctor');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH ?? '' },
  });
  return { code, stdout, stderr };
}

describe('cncfdemo doctor (CLI)', () => {
  it('prints a table grouped by area and exits 0 on a healthy root', async () => {
    const { code, stdout, stderr } = await run(['doctor', '--root', join(FIXTURES, 'healthy')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const areas = stdout.split('\n').filter((l) => /^[A-Z]/.test(l));
    expect(areas).toEqual(['Storage', 'Network', 'Security', 'Container runtime', 'Host']);
    expect(stdout).toMatch(/^ {2}PASS {2}storage-driver /m);
    expect(stdout).toMatch(/^verdict: PASS \(12 pass, 0 warn, 0 fail, 1 skip\)$/m);
  });

  it('exits 1 after printing when a check FAILs', async () => {
    const { code, stdout, stderr } = await run(['doctor', '--root', join(FIXTURES, 'broken-centos7')]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ {2}FAIL {2}storage-driver /m);
    expect(stdout).toMatch(/fix: .*overlay2/);
  });

  it('-o json with --check runs one check and prints the report as JSON', async () => {
    const { code, stdout } = await run([
      'doctor',
      '--root',
      join(FIXTURES, 'broken-overlay-selinux'),
      '--check',
      'selinux-overlay',
      '-o',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      verdict: string;
      checks: { id: string; status: string; area: string }[];
    };
    expect(report.verdict).toBe('FAIL');
    expect(report.checks.map((c) => [c.id, c.status, c.area])).toEqual([
      ['selinux-overlay', 'FAIL', 'security'],
    ]);
  });

  it('rejects an unknown check id with one line listing the valid ids', async () => {
    const { code, stdout, stderr } = await run(['doctor', '--check', 'nope']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^error: unknown check "nope" \(hint: valid checks: storage-driver, .*aws-security-groups\)$/m,
    );
  });

  it('rejects a missing --root with one line', async () => {
    const { code, stderr } = await run(['doctor', '--root', '/does/not/exist']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: --root \/does\/not\/exist is not a directory \(hint: .*\)\n$/);
  });

  it('--cluster without a kubeconfig FAILs api-server and SKIPs the rest with reasons', async () => {
    const { code, stdout } = await run([
      'doctor',
      '--cluster',
      '--kubeconfig',
      '/does/not/exist',
      '-o',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { checks: { id: string; status: string; evidence: string[] }[] };
    expect(report.checks.find((c) => c.id === 'api-server')).toMatchObject({
      status: 'FAIL',
      evidence: ['kubeconfig /does/not/exist does not exist'],
    });
    for (const c of report.checks.filter((x) => x.id !== 'api-server')) {
      expect(c.status, c.id).toBe('SKIP');
      expect(c.evidence[0], c.id).toBeTruthy();
    }
  });
});
