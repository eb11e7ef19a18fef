import type { KubectlLikeCommand } from '../start/route.js';
import { commandSet, type CommandLoader } from './set.js';

/** The kubectl-like commands (start/route.ts), in help's order; the fast bundle holds these alone. */
export const kubectlLikeLoaders: Readonly<Record<KubectlLikeCommand, CommandLoader>> = {
  create: async () => (await import('./create.js')).createCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  get: async () => (await import('./get.js')).getCommand,
  delete: async () => (await import('./delete.js')).deleteCommand,
  wait: async () => (await import('./wait.js')).waitCommand,
};

export const kubectlLikeCommands = commandSet(kubectlLikeLoaders);
