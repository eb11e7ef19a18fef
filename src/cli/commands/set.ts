import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { builtSummaries, summaryFactories } from './summaries.js';

export type CommandFactory = (ctx: CliContext) => Command;
export type CommandLoader = () => Promise<CommandFactory>;

/** Commands by name, one factory per file, each loaded only when a run needs it. */
export interface CommandSet {
  /** In the order help lists them. */
  readonly names: readonly string[];
  /** The factories of the named commands (default: all), in the order given. */
  load(names?: readonly string[]): Promise<CommandFactory[]>;
}

export function commandSet(loaders: Readonly<Record<string, CommandLoader>>): CommandSet {
  const names = Object.keys(loaders);
  return {
    names,
    load: (wanted = names) =>
      Promise.all(
        wanted.map((name) => {
          const load = loaders[name];
          if (!load) throw new Error(`no command ${name}`);
          return load();
        }),
      ),
  };
}

/**
 * The commands as the top-level help lists them: stand-ins from the summaries built into the bundles
 * (no command module loaded), or, running from source, the commands themselves.
 */
export function listedCommands(
  commands: CommandSet,
  summaries = builtSummaries(),
): Promise<CommandFactory[]> {
  return summaries ? Promise.resolve(summaryFactories(summaries)) : commands.load();
}
