import { Command } from 'commander';
import { WriteError, type WriteResult } from '../../api/kube.js';
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
import { durationFlag, timeoutOption } from '../options.js';
import { formatObjects, type ObjectFormat } from '../ui/kube-print.js';

interface ApplyFlags extends KubeFlags, ManifestFlags, WriteFlags {
  forceConflicts?: boolean;
  wait?: boolean;
  timeout: number;
}

export function applyCommand(ctx: CliContext): Command {
  return addWriteFlags(addManifestFlags(addKubeFlags(new Command('apply'))), 'applied')
    .description('create or update objects by server-side apply (idempotent; templates rendered first)')
    .option('--force-conflicts', 'take over fields that another field manager owns')
    .option('--wait', 'then wait until every object is ready')
    .addOption(durationFlag('--timeout <duration>', 'how long --wait waits', 300_000, timeoutOption))
    .action(async (flags: ApplyFlags) => {
      const { objects, sourceOf } = await readManifests(ctx, requireFilenames(flags, 'apply'));
      const client = await connectWith(ctx, flags);
      try {
        const results = await printing(ctx, flags.output, () =>
          client.apply(objects, {
            force: flags.forceConflicts === true,
            dryRun: flags.dryRun,
            sourceOf,
            onResult: (r) => {
              if (!flags.output) ctx.io.stdout.write(resultLine(r));
            },
          }),
        );
        if (flags.wait && flags.dryRun === 'none') {
          await client.waitReady(objects, { timeoutMs: flags.timeout });
          ctx.io.stderr.write(`${results.length} objects ready\n`);
        }
      } finally {
        client.close();
      }
    });
}

/** Runs a write and prints its objects with -o, including those written before another one failed. */
export async function printing(
  ctx: CliContext,
  format: ObjectFormat | undefined,
  write: () => Promise<WriteResult[]>,
): Promise<WriteResult[]> {
  try {
    const results = await write();
    if (format)
      ctx.io.stdout.write(
        formatObjects(
          results.map((r) => r.object),
          format,
        ),
      );
    return results;
  } catch (err) {
    if (format && err instanceof WriteError && err.results.length > 0) {
      ctx.io.stdout.write(
        formatObjects(
          err.results.map((r) => r.object),
          format,
        ),
      );
    }
    throw err;
  }
}
