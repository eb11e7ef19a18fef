import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from 'commander';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { configMapFromFiles, readObjects } from '../../src/api/inputs.js';
import { loadCommands } from '../../src/cli/commands/index.js';
import type { CliContext, CliIO } from '../../src/cli/context.js';
import { reportError } from '../../src/cli/errors.js';
import { main } from '../../src/cli/main.js';
import { noopLogger } from '../../src/log/logger.js';
import { expectOneLineError, loadCases, type BadInputCase } from '../helpers/bad-inputs.js';

const dir = fileURLToPath(new URL('../fixtures/bad-inputs', import.meta.url));
const cases = loadCases(dir);
/** Provided by test/integration/global-setup.ts when the integration project runs. */
const clusterKubeconfig = inject('kubeconfig') as string | undefined;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let offlineEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  // A kubeconfig whose server nothing listens on: a case that reaches the network fails with the wrong error.
  const home = await mkdtemp(join(tmpdir(), 'bad-inputs-'));
  const kubeconfig = join(home, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: offline, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: nobody, user: {}}]',
      'contexts: [{name: offline, context: {cluster: offline, user: nobody, namespace: default}}]',
      'current-context: offline',
      '',
    ].join('\n'),
  );
  offlineEnv = {
    PATH: process.env.PATH,
    HOME: home,
    KUBECONFIG: kubeconfig,
    CNCFDEMO_HOME: join(home, 'cncfdemo'),
  };
});

describe('the bad-input corpus', () => {
  it('is well formed: unique names, args, an expected error, at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.args.length, c.name).toBeGreaterThan(0);
      expect(c.error.length, c.name).toBeGreaterThan(0);
    }
  });

  const offline = cases.filter((c) => c.needsCluster !== true);
  it.each(offline.map((c) => [c.name, c] as const))('%s fails before any API call', async (_name, c) => {
    expectCaseError(await run(c, offlineEnv), c);
  });

  const online = cases.filter((c) => c.needsCluster === true);
  it
    .runIf(online.length > 0 && clusterKubeconfig !== undefined)
    .each(online.map((c) => [c.name, c] as const))('%s fails against the test cluster', async (_name, c) => {
    const env = { ...process.env, KUBECONFIG: clusterKubeconfig, CNCFDEMO_HOME: inject('home') };
    expectCaseError(await run(c, env), c);
  });
});

function expectCaseError(result: Run, c: BadInputCase): void {
  expectOneLineError(result, expand(c.error));
}

async function run(c: BadInputCase, env: NodeJS.ProcessEnv): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    stdin: Readable.from(c.stdin === undefined ? [] : [c.stdin]),
    env,
  };
  const args = c.args.map(expand);
  const code = (await hasCommand(commandPath(args)))
    ? await main(args, io)
    : await runThroughLibrary(args, io);
  return { code, ...out };
}

function expand(text: string): string {
  return text.replaceAll('{dir}', dir).replaceAll('{kubeconfig}', clusterKubeconfig ?? '');
}

function commandPath(args: readonly string[]): string[] {
  return args[1] === 'configmap' ? args.slice(0, 2) : args.slice(0, 1);
}

async function hasCommand(path: readonly string[]): Promise<boolean> {
  const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };
  let commands: readonly Command[] = (await loadCommands()).map((factory) => factory(ctx));
  for (const word of path) {
    const command = commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!command) return false;
    commands = command.commands;
  }
  return true;
}

/**
 * Until `create`, `apply` and `create configmap` are registered, the cases go through the library calls those
 * commands make (src/api/inputs.ts) and the CLI's one error printer, so the same assertions hold.
 */
async function runThroughLibrary(args: readonly string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: args.slice(1),
      allowPositionals: true,
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        recursive: { type: 'boolean', short: 'R' },
        values: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        'from-file': { type: 'string', multiple: true },
        'from-literal': { type: 'string', multiple: true },
      },
    });
    const recursive = values.recursive === true;
    if (positionals[0] === 'configmap') {
      const [, name = ''] = positionals;
      await configMapFromFiles(name, {
        fromFile: values['from-file'],
        fromLiteral: values['from-literal'],
        recursive,
      });
    } else {
      await readObjects({
        filenames: values.filename ?? [],
        recursive,
        valuesFiles: values.values ?? [],
        set: values.set ?? [],
        stdin: io.stdin,
      });
    }
    return 0;
  } catch (err) {
    return reportError(err, io.stderr, false);
  }
}
