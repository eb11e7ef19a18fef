import { Command } from 'commander';
import type { KubeClient, KubeObject, WriteOptions } from '../../api/kube.js';
import { UsageError } from '../../errors/index.js';
import { configMapFromFiles } from '../../api/inputs.js';
import type { CliContext } from '../context.js';
import {
  addKubeFlags,
  addManifestFlags,
  addWriteFlags,
  connectWith,
  readManifests,
  requireFilenames,
  resultLine,
  type KubeFlags,
  type ManifestFlags,
  type WriteFlags,
} from '../kube-flags.js';
import { collect } from '../options.js';
import { printing } from './apply.js';

interface CreateFlags extends KubeFlags, ManifestFlags, WriteFlags {
  fromFile?: string[];
  fromLiteral?: string[];
}

/**
 * `create -f ...` and `create configmap NAME --from-file ...` in one command: as subcommands, commander
 * would give `-n`, `-o` and `--dry-run` after `configmap` to `create`.
 */
export function createCommand(ctx: CliContext): Command {
  return addWriteFlags(addManifestFlags(addKubeFlags(new Command('create'))), 'created')
    .description(
      'create objects from files, directories or stdin (templates rendered first), or a ConfigMap from files',
    )
    .usage(
      '-f FILE|DIR|- [-R] [options]\n       cncfdemo create configmap NAME --from-file=[KEY=]PATH... [--from-literal=KEY=VALUE]... [-R] [options]',
    )
    .argument('[what...]', '`configmap NAME` (alias `cm`) to build a ConfigMap; nothing with -f')
    .option(
      '--from-file <[key=]path>',
      'configmap: a file (one key) or directory (a key per regular file); repeatable',
      collect,
    )
    .option('--from-literal <key=value>', 'configmap: a literal key and value; repeatable', collect)
    .action(async (what: string[], flags: CreateFlags) => {
      const [kind, name, ...extra] = what;
      const configMap = kind === 'configmap' || kind === 'cm';
      if (kind !== undefined && (!configMap || !name || extra.length > 0)) {
        throw new UsageError(
          `create takes -f, or configmap NAME; got "${what.join(' ')}"`,
          'cncfdemo create -f DIR -R, or cncfdemo create configmap NAME --from-file=DIR',
        );
      }
      const client = await connectWith(ctx, flags);
      try {
        if (configMap && name) {
          const object = await configMapFromFiles(name, {
            fromFile: flags.fromFile ?? [],
            fromLiteral: flags.fromLiteral ?? [],
            recursive: flags.recursive === true,
            namespace: client.namespace,
          });
          await create(ctx, client, [object], flags, {});
          return;
        }
        const { objects, sourceOf } = await readManifests(ctx, requireFilenames(flags, 'create'));
        await create(ctx, client, objects, flags, { sourceOf });
      } finally {
        client.close();
      }
    });
}

async function create(
  ctx: CliContext,
  client: KubeClient,
  objects: KubeObject[],
  flags: CreateFlags,
  options: WriteOptions,
): Promise<void> {
  await printing(ctx, flags.output, () =>
    client.create(objects, {
      ...options,
      dryRun: flags.dryRun,
      onResult: (r) => {
        if (!flags.output) ctx.io.stdout.write(resultLine(r));
      },
    }),
  );
}
