import { kubectlLikeLoaders } from './kubectl-like.js';
import { commandSet, listedCommands, type CommandFactory } from './set.js';
import type { CommandSummary } from './summaries.js';

export type { CommandFactory } from './set.js';

/**
 * Every top-level command by name, one factory per file, loaded on demand: a run imports only the
 * command it runs (and what that needs), not the stack, benchmark and doctor code of all the others.
 */
export const allCommands = commandSet({
  cluster: async () => (await import('./cluster.js')).clusterCommand,
  bootstrap: async () => (await import('./bootstrap.js')).bootstrapCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  ...kubectlLikeLoaders,
  benchmark: async () => (await import('./benchmark.js')).benchmarkCommand,
  report: async () => (await import('./report.js')).reportCommand,
  runs: async () => (await import('./runs.js')).runsCommand,
  compare: async () => (await import('./compare.js')).compareCommand,
  publish: async () => (await import('./publish.js')).publishCommand,
  start: async () => (await import('./stack-commands.js')).startCommand,
  stop: async () => (await import('./stack-commands.js')).stopCommand,
  status: async () => (await import('./stack-commands.js')).statusCommand,
  render: async () => (await import('./stack-commands.js')).renderCommand,
  grafana: async () => (await import('./stack-commands.js')).grafanaCommand,
  ui: async () => (await import('./ui.js')).uiCommand,
  images: async () => (await import('./images.js')).imagesCommand,
});

/** The top-level command names, in the order help lists them. */
export const commandNames: readonly string[] = allCommands.names;

/** The factories of the named commands (default: all), in the order given. */
export function loadCommands(names: readonly string[] = commandNames): Promise<CommandFactory[]> {
  return allCommands.load(names);
}

/** The top-level help's commands (listedCommands): from the summaries (default: the built ones), else every command. */
export function helpCommands(summaries?: readonly CommandSummary[]): Promise<CommandFactory[]> {
  return listedCommands(allCommands, summaries);
}
