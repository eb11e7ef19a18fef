import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';

describe('CLI bad input: one line, non-zero exit, no stack trace', () => {
  const home = mkdtemp(join(tmpdir(), 'cncfdemo-home-'));
  afterAll(async () => {
    await rm(await home, { recursive: true, force: true });
  });

  it.each([
    [['cluster', 'create', '--nodes', '0'], 1, '--nodes must be a whole number from 1 (got 0)'],
    [
      ['cluster', 'create', '--nodes', 'abc'],
      2,
      "argument 'abc' is invalid. expected a whole number. (hint: see cncfdemo cluster create --help)",
    ],
    [['cluster', 'delete', '--name', 'nope'], 1, 'cluster "nope" does not exist'],
    [['cluster', 'kubeconfig', '--name', 'nope'], 1, 'cluster "nope" does not exist'],
    [['bootstrap', 'mars'], 1, 'unknown cluster provider "mars"'],
    [['no-such-command'], 2, "unknown command 'no-such-command' (hint: see cncfdemo --help)"],
    [['aply'], 2, "unknown command 'aply' (Did you mean apply?) (hint: see cncfdemo --help)"],
    [
      ['cluster', 'create', '--bogus'],
      2,
      "unknown option '--bogus' (hint: see cncfdemo cluster create --help)",
    ],
  ])('%j', async (args, code, message) => {
    const result = await runCli(args, {
      ...process.env,
      CNCFDEMO_HOME: await home,
      KUBECONFIG: join(await home, 'kc'),
    });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(isOneLineError(result.stderr)).toBe(true);
  });

  it('prints the stack only with --debug', async () => {
    const env = { ...process.env, CNCFDEMO_HOME: await home };
    const plain = await runCli(['cluster', 'delete', '--name', 'nope'], env);
    const debug = await runCli(['--debug', 'cluster', 'delete', '--name', 'nope'], env);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('lists clusters as an empty set on a fresh home', async () => {
    const result = await runCli(['cluster', 'list'], { ...process.env, CNCFDEMO_HOME: await home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('no clusters');
  });
});
