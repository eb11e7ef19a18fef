import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { builtSummaries, summaryFactories } from './summaries.js';

export type CommandFactory = (ctx: CliContext) => Command;

/**
 * Every top-level command by name, one factory per file, loaded on demand: a run imports only the
 * command it runs (and what that needs), not the stack, benchmark and doctor code of all the others.
 */
const loaders: Readonly<Record<string, () => Promise<CommandFactory>>> = {
  cluster: async () => (await import('./cluster.js')).clusterCommand,
  bootstrap: async () => (await import('./bootstrap.js')).bootstrapCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  create: async () => (await import('./create.js')).createCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  get: async () => (await import('./get.js')).getCommand,
  delete: async () => (await import('./delete.js')).deleteCommand,
  wait: async () => (await import('./wait.js')).waitCommand,
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
};

/** The top-level command names, in the order help lists them. */
export const commandNames: readonly string[] = Object.keys(loaders);

/** The factories of the named commands (default: all), in the order given. */
export function loadCommands(names: readonly string[] = commandNames): Promise<CommandFactory[]> {
  return Promise.all(
    names.map((name) => {
      const load = loaders[name];
      if (!load) throw new Error(`no command ${name}`);
      return load();
    }),
  );
}

/**
 * The commands as the top-level help lists them: stand-ins from the summaries built into the bundle
 * (no command module loaded), or, running from source, the commands themselves.
 */
export function helpCommands(summaries = builtSummaries()): Promise<CommandFactory[]> {
  return summaries ? Promise.resolve(summaryFactories(summaries)) : loadCommands();
}
