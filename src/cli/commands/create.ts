import { Command, Option } from 'commander';
import { configMapFromFiles } from '../../inputs/index.js';
import type { CliContext } from '../context.js';
import {
  addKubeFlags,
  addManifestFlags,
  collect,
  connectWith,
  dryRunOption,
  readManifests,
  requireFilenames,
  resultLine,
  type DryRunFlag,
  type KubeFlags,
  type ManifestFlags,
} from '../kube-flags.js';
import type { ObjectFormat } from '../ui/kube-print.js';
import { printing } from './apply.js';

interface CreateFlags extends KubeFlags, ManifestFlags {
  dryRun: DryRunFlag;
  output?: ObjectFormat;
}

interface ConfigMapFlags extends KubeFlags {
  fromFile?: string[];
  fromLiteral?: string[];
  recursive?: boolean;
  dryRun: DryRunFlag;
  output?: ObjectFormat;
}

const outputOption = (): Option =>
  new Option('-o, --output <format>', 'print the created objects').choices(['yaml', 'json', 'name']);

export function createCommand(ctx: CliContext): Command {
  const create = addManifestFlags(addKubeFlags(new Command('create')))
    .description(
      'create objects from files, directories or stdin (templates rendered first); existing objects fail',
    )
    .option(
      '--dry-run <mode>',
      'none, client (print only) or server (validate on the server)',
      dryRunOption,
      'none',
    )
    .addOption(outputOption())
    .action(async (flags: CreateFlags) => {
      const { objects, sourceOf } = await readManifests(ctx, requireFilenames(flags, 'create'));
      const client = await connectWith(ctx, flags);
      try {
        await printing(ctx, flags.output, () =>
          client.create(objects, {
            dryRun: flags.dryRun,
            sourceOf,
            onResult: (r) => {
              if (!flags.output) ctx.io.stdout.write(resultLine(r));
            },
          }),
        );
      } finally {
        client.close();
      }
    });

  addKubeFlags(create.command('configmap'))
    .alias('cm')
    .description('create a ConfigMap from files, directories (one key per file) and literals')
    .argument('<name>', 'ConfigMap name')
    .option(
      '--from-file <[key=]path>',
      'file (one key) or directory (one key per regular file); repeatable',
      collect,
    )
    .option('--from-literal <key=value>', 'a literal key and value; repeatable', collect)
    .option('-R, --recursive', 'walk subdirectories of --from-file directories (keys join path parts with _)')
    .option(
      '--dry-run <mode>',
      'none, client (print only) or server (validate on the server)',
      dryRunOption,
      'none',
    )
    .addOption(outputOption())
    .action(async (name: string, flags: ConfigMapFlags) => {
      const client = await connectWith(ctx, flags);
      try {
        const configMap = await configMapFromFiles(name, {
          fromFile: flags.fromFile ?? [],
          fromLiteral: flags.fromLiteral ?? [],
          recursive: flags.recursive === true,
          namespace: client.namespace,
        });
        await printing(ctx, flags.output, () =>
          client.create([configMap], {
            dryRun: flags.dryRun,
            onResult: (r) => {
              if (!flags.output) ctx.io.stdout.write(resultLine(r));
            },
          }),
        );
      } finally {
        client.close();
      }
    });
  return create;
}
