import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { bootstrapCommand } from './bootstrap.js';
import { clusterCommand } from './cluster.js';
import { doctorCommand } from './doctor.js';
import { applyCommand } from './apply.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { getCommand } from './get.js';
import { waitCommand } from './wait.js';
import { benchmarkCommand } from './benchmark.js';
import { reportCommand } from './report.js';
import { runsCommand } from './runs.js';
import { compareCommand } from './compare.js';
import { uiCommand } from './ui.js';
import { startCommand, stopCommand, statusCommand, renderCommand, grafanaCommand } from './stack-commands.js';

/** Every top-level command, one factory per file. */
export const commandFactories: readonly ((ctx: CliContext) => Command)[] = [
  clusterCommand,
  bootstrapCommand,
  doctorCommand,
  createCommand,
  applyCommand,
  getCommand,
  deleteCommand,
  waitCommand,
  benchmarkCommand,
  reportCommand,
  runsCommand,
  compareCommand,
  startCommand,
  stopCommand,
  statusCommand,
  renderCommand,
  grafanaCommand,
  uiCommand,
];
