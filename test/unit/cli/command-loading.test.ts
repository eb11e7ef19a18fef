import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../../src/log/logger.js';
import type { CliContext, CliIO } from '../../../src/cli/context.js';
import { Command } from 'commander';
import { commandNames, helpCommands, loadCommands } from '../../../src/cli/commands/index.js';
import { summarize } from '../../../src/cli/commands/summaries.js';
import { commandsFor, commandWord } from '../../../src/cli/main.js';
import { runCli } from '../../helpers/cli.js';

describe('commands loaded on demand', () => {
  it.each([
    [['apply', '-f', 'x'], 'apply'],
    [['--debug', 'get', 'pods'], 'get'],
    [['--home', '/tmp/h', 'runs'], 'runs'],
    [['--home=/tmp/h', 'runs'], 'runs'],
    [['--', 'status'], 'status'],
    [['--help'], undefined],
    [[], undefined],
  ])('%j runs the command %s', (argv, word) => {
    expect(commandWord(argv)).toBe(word);
  });

  it.each([
    [['get', 'pods'], ['get']],
    [['--version'], []],
    [['--help'], commandNames],
    [['aply'], commandNames],
    [[], commandNames],
  ])('%j loads %j', (argv, names) => {
    expect(commandsFor(argv)).toEqual(names);
  });

  it('prints the version without loading a command', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('every name loads the command of that name', async () => {
    const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };
    const commands = (await loadCommands()).map((factory) => factory(ctx));
    expect(commands.map((c) => c.name())).toEqual(commandNames);
  });

  // A typo's suggestion, which also needs every command loaded, is checked in cli-errors.test.ts.
  it('help lists every command', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of commandNames) expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  // The bundle's --help lists stand-ins built from summaries (scripts/build.ts); it must read the same.
  it('the help from command summaries is the help from the commands', async () => {
    const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };
    const helpOf = (factories: readonly ((c: CliContext) => Command)[]): string => {
      const program = new Command('cncfdemo').option('--debug', 'debug');
      for (const factory of factories) program.addCommand(factory(ctx));
      return program.helpInformation();
    };
    const real = await loadCommands();
    const summaries = real.map((factory) => summarize(factory(ctx)));
    expect(summaries.some((s) => s.args.length > 0 && s.options)).toBe(true);
    expect(helpOf(await helpCommands(summaries))).toBe(helpOf(real));
  });
});
