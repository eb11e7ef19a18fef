import { type Command, InvalidArgumentError, Option } from 'commander';
import { connect, type KubeClient, type KubeObject } from '../api/kube.js';
import { loadManifests, sourceLookup, type Manifest } from '../inputs/index.js';
import type { Deadline } from '../deadline/index.js';
import { UsageError } from '../errors/index.js';
import { loadValues, TEMPLATE_COMPAT_MODES, type TemplateCompat } from '../templates/index.js';
import type { CliContext } from './context.js';
export { durationOption, timeoutOption } from './options.js';

/** Flags every cluster command takes, as in kubectl. */
export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export function addKubeFlags(command: Command): Command {
  return command
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'),
    )
    .addOption(new Option('--context <name>', 'kubeconfig context to use (default: its current context)'))
    .addOption(new Option('-n, --namespace <name>', "namespace (default: the context's, else default)"));
}

/** A client for the flags' context; with a deadline, no request of it outlives that. */
export function connectWith(ctx: CliContext, flags: KubeFlags, deadline?: Deadline): Promise<KubeClient> {
  return connect({
    ...(deadline ? { deadline } : {}),
    env: ctx.io.env,
    logger: ctx.logger,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
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

export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

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
  const values = await loadValues({ valuesFiles: flags.values ?? [], set: flags.set ?? [] });
  const manifests = await loadManifests({
    filenames: flags.filename ?? [],
    recursive: flags.recursive === true,
    values,
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
