import { Command } from 'commander';
import { namedObjects, type DeleteResult } from '../../api/kube.js';
import { UsageError } from '../../errors/index.js';
import type { CliContext } from '../context.js';
import {
  addKubeFlags,
  addManifestFlags,
  connectWith,
  readManifests,
  type KubeFlags,
  type ManifestFlags,
} from '../kube-flags.js';
import { durationFlag, timeoutOption } from '../options.js';
import { quotedName } from '../ui/kube-print.js';

interface DeleteFlags extends KubeFlags, ManifestFlags {
  selector?: string;
  allNamespaces?: boolean;
  wait: boolean;
  timeout: number;
  ignoreNotFound?: boolean;
  dryRun?: 'none' | 'server';
}

export function deleteCommand(ctx: CliContext): Command {
  return addManifestFlags(addKubeFlags(new Command('delete')))
    .description(
      'delete objects (foreground: dependents first) named in files, by TYPE NAME, or by label selector',
    )
    .argument('[args...]', 'TYPE NAME..., TYPE/NAME..., or TYPE[,TYPE] with -l')
    .option('-l, --selector <selector>', 'delete what matches; across every type when no TYPE is given')
    .option('-A, --all-namespaces', 'with -l: in every namespace, cluster-scoped objects included')
    .option('--wait', 'wait until the objects are gone (default)', true)
    .option('--no-wait', 'return once deletion has started')
    .addOption(
      durationFlag('--timeout <duration>', 'how long to wait for the objects to go', 300_000, timeoutOption),
    )
    .option('--ignore-not-found', 'a missing object is not an error')
    .option('--dry-run <mode>', 'none or server', (v: string) => (v === 'server' ? 'server' : 'none'), 'none')
    .action(async (args: string[], flags: DeleteFlags) => {
      const fromFiles = (flags.filename ?? []).length > 0;
      if (
        [fromFiles, flags.selector !== undefined, args.length > 0 && !flags.selector].filter(Boolean)
          .length !== 1
      ) {
        throw new UsageError(
          'delete needs exactly one of: -f FILE, TYPE NAME..., or -l SELECTOR',
          'for example: cncfdemo delete deploy web',
        );
      }
      const client = await connectWith(ctx, flags);
      const print = (r: DeleteResult): void => {
        if (r.action !== 'deleted') return;
        const where = r.namespace ? ` from ${r.namespace} namespace` : '';
        ctx.io.stdout.write(
          `${quotedName(r.name)} deleted${where}${flags.dryRun === 'server' ? ' (server dry run)' : ''}\n`,
        );
      };
      const options = {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        dryRun: flags.dryRun ?? 'none',
        onResult: print,
      };
      try {
        if (flags.selector !== undefined) {
          const kinds = args.flatMap((a) => a.split(',')).filter((k) => k !== '');
          const results = await client.deleteBySelector(flags.selector, {
            ...options,
            kinds,
            allNamespaces: flags.allNamespaces === true,
          });
          if (results.length === 0) ctx.io.stderr.write('No resources found\n');
          return;
        }
        const objects = fromFiles
          ? (await readManifests(ctx, flags)).objects
          : await namedObjects(client, args);
        await client.deleteObjects(objects, { ...options, ignoreNotFound: flags.ignoreNotFound === true });
      } finally {
        client.close();
      }
    });
}
