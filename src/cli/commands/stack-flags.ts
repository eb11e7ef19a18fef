import type { Command } from 'commander';
import type { StackValuesOptions } from '../../api/stack.js';
import { UsageError, UserError } from '../../errors/index.js';
import type { CliContext } from '../context.js';
import { addClusterFlags, type ClusterFlags } from '../kube-flags.js';
import { collect } from '../options.js';

/** Flags shared by the stack commands. */
export interface StackFlags extends ClusterFlags {
  values: string[];
  set: string[];
  domain?: string;
  boincUrl?: string;
  boincKeyEnv?: string;
  boincKey?: string;
}

/** The stack commands reach the cluster by --kubeconfig, --context or --cluster NAME. */
export function addStackClusterFlags(command: Command): Command {
  return addClusterFlags(command, { cluster: true });
}

export function addValuesFlags(command: Command): Command {
  return command
    .option('--values <file>', 'YAML values file, merged over the defaults (repeatable)', collect, [])
    .option(
      '--set <key=value>',
      'set one value, e.g. countly.autoscaling.maxReplicas=20 (repeatable)',
      collect,
      [],
    )
    .option('--domain <domain>', 'publish Countly at countly.<domain> and Grafana at grafana.<domain>')
    .option('--boinc-url <url>', 'the BOINC project to attach to');
}

export function addBoincKeyFlags(command: Command): Command {
  return command
    .option('--boinc-key-env <VAR>', 'read the BOINC account key from this environment variable')
    .option(
      '--boinc-key <key>',
      'the BOINC account key (visible to other local users; prefer --boinc-key-env)',
    );
}

export function valuesOptions(flags: StackFlags): StackValuesOptions {
  return {
    valuesFiles: flags.values,
    set: flags.set,
    ...(flags.domain !== undefined ? { domain: flags.domain } : {}),
    ...(flags.boincUrl !== undefined ? { boincUrl: flags.boincUrl } : {}),
  };
}

/** The BOINC account key from --boinc-key-env or --boinc-key; never echoed back. */
export function boincKey(ctx: CliContext, flags: StackFlags): string | undefined {
  if (flags.boincKey !== undefined && flags.boincKeyEnv !== undefined) {
    throw new UsageError('give either --boinc-key or --boinc-key-env, not both');
  }
  if (flags.boincKeyEnv === undefined) return flags.boincKey;
  const key = ctx.io.env[flags.boincKeyEnv];
  if (!key) {
    throw new UserError(
      `environment variable ${flags.boincKeyEnv} (from --boinc-key-env) is not set or empty`,
      `export ${flags.boincKeyEnv}=<your account key> first, or leave the flag out to run BOINC unattached`,
    );
  }
  return key;
}
