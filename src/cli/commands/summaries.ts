import { Command, Option } from 'commander';
import type { CommandFactory } from './set.js';

/**
 * What the top-level help shows of a command: its name, description, arguments and whether it has
 * options. `npm run build` writes every command's summary into the bundle (scripts/build.ts), so
 * `cncfdemo --help` prints the list without loading the commands' modules (a third of its start-up).
 */
export interface CommandSummary {
  name: string;
  description: string;
  /** As the help writes them: `<type>`, `[names...]`. */
  args: string[];
  options: boolean;
}

/** Put into the bundle by scripts/build.ts (esbuild `define`); absent when running from source. */
declare const CNCFDEMO_COMMAND_SUMMARIES: readonly CommandSummary[] | undefined;

/** The summaries built into the bundle, if this is the bundle. */
export function builtSummaries(): readonly CommandSummary[] | undefined {
  return typeof CNCFDEMO_COMMAND_SUMMARIES === 'undefined' ? undefined : CNCFDEMO_COMMAND_SUMMARIES;
}

export function summarize(command: Command): CommandSummary {
  return {
    name: command.name(),
    description: command.description(),
    args: command.registeredArguments.map((arg) => {
      const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
      return arg.required ? `<${name}>` : `[${name}]`;
    }),
    options: command.options.length > 0,
  };
}

/**
 * A stand-in that the top-level help lists exactly like the command (commander's term is name,
 * `[options]` when it has any, and the arguments). Never run: only a run without a command word uses them.
 */
export function summaryCommand(summary: CommandSummary): Command {
  const command = new Command(summary.name).description(summary.description);
  for (const arg of summary.args) command.argument(arg);
  if (summary.options) command.addOption(new Option('--options-of-the-command').hideHelp());
  return command;
}

export function summaryFactories(summaries: readonly CommandSummary[]): CommandFactory[] {
  return summaries.map((summary) => () => summaryCommand(summary));
}
