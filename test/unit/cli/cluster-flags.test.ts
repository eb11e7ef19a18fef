import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../src/cli/commands/index.js';
import type { CliContext, CliIO } from '../../../src/cli/context.js';
import { clusterTarget } from '../../../src/cli/kube-flags.js';
import { UsageError } from '../../../src/errors/index.js';
import { noopLogger } from '../../../src/log/logger.js';
import { isOneLineError, runCli } from '../../helpers/cli.js';

const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };

async function command(name: string): Promise<Command> {
  const [factory] = await loadCommands([name]);
  if (!factory) throw new Error(`no command ${name}`);
  return factory(ctx).exitOverride();
}

/** The flags a command line parses into, without running the command. */
async function parsed(name: string, args: string[]): Promise<Record<string, unknown>> {
  const cmd = await command(name);
  let flags: Record<string, unknown> = {};
  cmd.action(function (this: Command) {
    flags = this.opts();
  });
  await cmd.parseAsync(args, { from: 'user' });
  return flags;
}

const longFlags = (cmd: Command): string[] => cmd.options.map((o) => o.long ?? '');

describe('cluster flags, defined once', () => {
  const kubectlLike = ['get', 'apply', 'create', 'delete', 'wait'];
  const cncfdemoOwn = ['start', 'stop', 'status', 'grafana', 'benchmark'];

  it.each([...kubectlLike, ...cncfdemoOwn, 'doctor'])('%s takes --kubeconfig and --context', async (name) => {
    expect(longFlags(await command(name))).toEqual(expect.arrayContaining(['--kubeconfig', '--context']));
  });

  it.each(cncfdemoOwn)('%s takes --cluster NAME', async (name) => {
    expect(await parsed(name, ['--cluster', 'demo'])).toMatchObject({ cluster: 'demo' });
  });

  it.each(kubectlLike)("%s leaves --cluster to kubectl's meaning (not taken)", async (name) => {
    expect(longFlags(await command(name))).not.toContain('--cluster');
  });

  it('benchmark --time 1h30m --context X parses', async () => {
    expect(await parsed('benchmark', ['--time', '1h30m', '--context', 'X'])).toMatchObject({
      time: 5_400_000,
      context: 'X',
      threads: 2,
      connections: 16,
    });
  });

  it('doctor --cluster is the cluster checks, with or without a NAME', async () => {
    expect(await parsed('doctor', ['--cluster'])).toMatchObject({ cluster: true });
    expect(await parsed('doctor', ['--cluster', 'demo', '--check', 'nodes-ready'])).toMatchObject({
      cluster: 'demo',
      check: ['nodes-ready'],
    });
  });

  it('--cluster NAME is context cncfdemo-NAME; with --context too, bad usage', () => {
    expect(clusterTarget({ cluster: 'demo', kubeconfig: '/k' })).toEqual({
      kubeconfig: '/k',
      context: 'cncfdemo-demo',
    });
    expect(clusterTarget({ context: 'kind-x' })).toEqual({ context: 'kind-x' });
    expect(clusterTarget({})).toEqual({});
    expect(() => clusterTarget({ cluster: 'demo', context: 'x' })).toThrow(UsageError);
  });

  it.each([
    ['start', '--cluster', 'a', '--context', 'b'],
    ['stop', '--cluster', 'a', '--context', 'b'],
    ['status', '--cluster', 'a', '--context', 'b'],
    ['grafana', '--cluster', 'a', '--context', 'b'],
    ['benchmark', '--cluster', 'a', '--context', 'b'],
    ['doctor', '--cluster', 'a', '--context', 'b'],
  ])('%s with both --cluster and --context exits 2 before connecting', async (...args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give either --cluster or --context, not both');
    expect(isOneLineError(result.stderr)).toBe(true);
  });
});

describe('duration flags: one parser, one error', () => {
  it.each([
    ['benchmark', '--time'],
    ['apply', '--timeout'],
    ['delete', '--timeout'],
    ['wait', '--timeout'],
    ['start', '--timeout'],
    ['stop', '--timeout'],
    ['cluster', 'create', '--pod-start-delay'],
    ['cluster', 'create', '--api-timeout'],
  ])('%s %s soon exits 2 with the same message', async (...args) => {
    const flag = args.at(-1) ?? '';
    const result = await runCli([...args, 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `option '${flag} <duration>' argument 'soon' is invalid. expected a duration like 30s, 5m or 1h30m.`,
    );
    expect(isOneLineError(result.stderr)).toBe(true);
  });

  it('durations are read the same everywhere: 1h30m', async () => {
    expect(await parsed('wait', ['--for', 'ready', '--timeout', '1h30m'])).toMatchObject({
      timeout: 5_400_000,
    });
    expect(await parsed('stop', ['--timeout', '1h30m'])).toMatchObject({ timeout: 5_400_000 });
  });

  it('help shows duration defaults as durations', async () => {
    expect((await command('benchmark')).helpInformation()).toMatch(/\(default:\s+5m\)/);
    expect((await command('start')).helpInformation()).toMatch(/\(default:\s+10m\)/);
  });
});
