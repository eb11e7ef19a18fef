/**
 * The flags shared by every command that talks to a cluster, defined once: --kubeconfig and --context as
 * in kubectl, --cluster NAME (context cncfdemo-NAME) on cncfdemo's own commands, -n on the kubectl-like
 * ones; and the manifest flags (-f, -R, --values, --set) of create, apply, delete and wait.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { connect, type KubeClient, type KubeObject } from '../api/kube.js';
// Types only: the template engine and manifest reader load when a command reads -f (not for get or wait).
import type { Manifest } from '../api/inputs.js';
import { TEMPLATE_COMPAT_MODES, type TemplateCompat } from '../api/template-compat.js';
import { contextName } from '../config/identity.js';
import { discoveryCacheDir } from '../config/paths.js';
import type { Deadline } from '../deadline/index.js';
import { UsageError } from '../errors/index.js';
import type { CliContext } from './context.js';
import { collect } from './options.js';
import type { ObjectFormat } from './ui/kube-print.js';

/** How a command reaches its cluster. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  /** cncfdemo's name for the cluster: context `cncfdemo-<cluster>`. */
  cluster?: string;
}

/** The cluster flags plus kubectl's -n. */
export interface KubeFlags extends ClusterFlags {
  namespace?: string;
}

export const CLUSTER_FLAG_DESCRIPTION = 'a cluster cncfdemo created: its context cncfdemo-NAME';

/**
 * --kubeconfig and --context; with `cluster`, also --cluster NAME. kubectl's own --cluster names a
 * kubeconfig cluster, so the kubectl-like commands (get, apply, ...) leave ours out.
 */
export function addClusterFlags(command: Command, options: { cluster?: boolean } = {}): Command {
  command
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'),
    )
    .addOption(new Option('--context <name>', 'kubeconfig context to use (default: its current context)'));
  if (options.cluster) command.addOption(new Option('--cluster <name>', CLUSTER_FLAG_DESCRIPTION));
  return command;
}

/** The kubectl-like commands' flags: --kubeconfig, --context and -n. */
export function addKubeFlags(command: Command): Command {
  return addClusterFlags(command).addOption(
    new Option('-n, --namespace <name>', "namespace (default: the context's, else default)"),
  );
}

/** The kubeconfig and context the flags name; --cluster NAME becomes context cncfdemo-NAME. */
export function clusterTarget(flags: ClusterFlags): { kubeconfig?: string; context?: string } {
  if (flags.cluster !== undefined && flags.context !== undefined) {
    throw new UsageError(
      'give either --cluster or --context, not both',
      `--cluster ${flags.cluster} is the same as --context ${contextName(flags.cluster)}`,
    );
  }
  const context = flags.cluster !== undefined ? contextName(flags.cluster) : flags.context;
  return {
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(context ? { context } : {}),
  };
}

/** What every library call that connects takes from the CLI: the target, its environment and logger. */
export function clusterOptions(
  ctx: CliContext,
  flags: ClusterFlags,
): { env: NodeJS.ProcessEnv; logger: CliContext['logger']; kubeconfig?: string; context?: string } {
  return { env: ctx.io.env, logger: ctx.logger, ...clusterTarget(flags) };
}

/**
 * A client for the flags' context; with a deadline, no request of it outlives that. Discovery is kept
 * on disk between runs, as kubectl does: these commands are short and often repeated.
 */
export function connectWith(ctx: CliContext, flags: KubeFlags, deadline?: Deadline): Promise<KubeClient> {
  return connect({
    ...(deadline ? { deadline } : {}),
    discoveryCache: discoveryCacheDir(ctx.io.env),
    ...clusterOptions(ctx, flags),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
}

/** `-f/-R` plus template values, for commands that read manifests. */
export interface ManifestFlags {
  filename?: string[];
  recursive?: boolean;
  values?: string[];
  set?: string[];
  templateCompat?: TemplateCompat;
}

export function addManifestFlags(command: Command): Command {
  return command
    .option(
      '-f, --filename <path>',
      'file, directory or - (stdin) with objects or templates; repeatable',
      collect,
    )
    .option('-R, --recursive', 'also read subdirectories of -f directories')
    .option('--values <file>', 'YAML values for templates; repeatable, later files win', collect)
    .option('--set <key=value>', 'template value (a.b=c, typed like Helm); repeatable', collect)
    .addOption(
      new Option(
        '--template-compat <mode>',
        'jinja2 (default), or cncfdemo-v1 for templates of the original cncfdemo (lenient undefined, json_dump without quotes)',
      ).choices(TEMPLATE_COMPAT_MODES),
    );
}

export interface LoadedManifests {
  objects: KubeObject[];
  sourceOf: (obj: KubeObject) => string | undefined;
  manifests: Manifest[];
}

export async function readManifests(ctx: CliContext, flags: ManifestFlags): Promise<LoadedManifests> {
  const { readObjects, sourceLookup } = await import('../api/inputs.js');
  const manifests = await readObjects({
    filenames: flags.filename ?? [],
    recursive: flags.recursive === true,
    valuesFiles: flags.values ?? [],
    set: flags.set ?? [],
    ...(flags.templateCompat ? { templateCompat: flags.templateCompat } : {}),
    stdin: ctx.io.stdin,
  });
  return { objects: manifests.map((m) => m.object), sourceOf: sourceLookup(manifests), manifests };
}

export type DryRunFlag = 'none' | 'client' | 'server';

export function dryRunOption(value: string): DryRunFlag {
  if (value === 'none' || value === 'client' || value === 'server') return value;
  throw new InvalidArgumentError('expected none, client or server.');
}

/** The flags of the commands that write objects (create, apply). */
export interface WriteFlags {
  dryRun: DryRunFlag;
  output?: ObjectFormat;
}

/** --dry-run and -o for a command whose objects end up `done` ("created", "applied"). */
export function addWriteFlags(command: Command, done: string): Command {
  return command
    .option(
      '--dry-run <mode>',
      'none, client (print only) or server (validate on the server)',
      dryRunOption,
      'none',
    )
    .addOption(
      new Option('-o, --output <format>', `print the ${done} objects`).choices(['yaml', 'json', 'name']),
    );
}

/** kubectl's result line: `deployment.apps/web created (server dry run)`. */
export function resultLine(result: { name: string; action: string; dryRun?: DryRunFlag }): string {
  const suffix =
    result.dryRun === 'client' ? ' (dry run)' : result.dryRun === 'server' ? ' (server dry run)' : '';
  return `${result.name} ${result.action}${suffix}\n`;
}

export function requireFilenames<T extends ManifestFlags>(
  flags: T,
  verb: string,
): T & { filename: string[] } {
  const filename = flags.filename ?? [];
  if (filename.length === 0) {
    throw new UsageError(`${verb} needs -f FILE|DIR|-`, `for example: cncfdemo ${verb} -f manifests/ -R`);
  }
  return { ...flags, filename };
}
