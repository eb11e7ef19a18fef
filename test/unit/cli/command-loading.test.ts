import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../../src/log/logger.js';
import type { CliContext, CliIO } from '../../../src/cli/context.js';
import { commandNames, loadCommands } from '../../../src/cli/commands/index.js';
import { commandWord, main } from '../../../src/cli/main.js';

function io(): { io: CliIO; out: () => string } {
  let out = '';
  const sink = {
    write: (s: string) => {
      out += s;
      return true;
    },
  };
  return {
    io: { stdout: sink, stderr: sink, stdin: process.stdin, env: {} },
    out: () => out,
  };
}

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

  it('every name loads the command of that name', async () => {
    const ctx: CliContext = { io: io().io, logger: noopLogger, globals: () => ({ debug: false }) };
    const commands = (await loadCommands()).map((factory) => factory(ctx));
    expect(commands.map((c) => c.name())).toEqual(commandNames);
  });

  it('help lists every command, and a typo still gets a suggestion', async () => {
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    for (const name of commandNames) expect(help.out()).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const typo = io();
    expect(await main(['aply'], typo.io)).not.toBe(0);
    expect(typo.out()).toContain('Did you mean apply?');
  });
});
