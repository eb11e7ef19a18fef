import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';

describe('benchmark, report, runs, compare: bad input is one line with a hint', () => {
  const home = mkdtemp(join(tmpdir(), 'cncfdemo-home-'));
  afterAll(async () => {
    await rm(await home, { recursive: true, force: true });
  });

  it.each([
    [
      ['benchmark', '--local-target', '--time', 'soon'],
      2,
      "option '--time <duration>' argument 'soon' is invalid. expected a duration like 30s, 5m or 1h30m.",
    ],
    [
      ['benchmark', '--local-target', '--threads', '4', '--connections', '2'],
      1,
      '--connections must be a whole number >= --threads',
    ],
    [['benchmark', '--local-target', 'ftp://x'], 1, '--local-target "ftp://x" is not an http(s) URL'],
    [['benchmark', '--local-target', '--rate', '0'], 1, '--rate must be a positive number'],
    [['benchmark', '--price-per-node-hour', 'cheap'], 2, "argument 'cheap' is invalid"],
    [
      ['benchmark', '--local-target', '--slos', join(import.meta.dirname, '../../data/prices.yaml')],
      1,
      'data/prices.yaml: expected apiVersion cncfdemo.io/v1alpha1 and kind SloThresholds',
    ],
    [['report', 'nope'], 1, 'no run "nope"'],
    [['compare', 'a'], 1, 'compare needs at least two runs'],
  ])('%j', async (args, code, message) => {
    const result = await runCli(args, { ...process.env, CNCFDEMO_HOME: await home });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(isOneLineError(result.stderr)).toBe(true);
  });

  it('runs says there are none yet on a fresh home', async () => {
    const result = await runCli(['runs'], { ...process.env, CNCFDEMO_HOME: await home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('no runs yet');
  });
});
