import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { bootstrapCommand } from './bootstrap.js';
import { clusterCommand } from './cluster.js';
import { doctorCommand } from './doctor.js';
import { benchmarkCommand } from './benchmark.js';
import { reportCommand } from './report.js';
import { runsCommand } from './runs.js';
import { compareCommand } from './compare.js';

/** Every top-level command, one factory per file. */
export const commandFactories: readonly ((ctx: CliContext) => Command)[] = [
  clusterCommand,
  bootstrapCommand,
  doctorCommand,
  benchmarkCommand,
  reportCommand,
  runsCommand,
  compareCommand,
];
