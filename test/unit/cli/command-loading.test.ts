import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../../src/log/logger.js';
import type { CliContext, CliIO } from '../../../src/cli/context.js';
import { commandNames, loadCommands } from '../../../src/cli/commands/index.js';
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
});
