import { Command, InvalidArgumentError } from 'commander';
import { displayName, namedObjects, type KubeObject, type WaitFor } from '../../api/kube.js';
import { Deadline } from '../../deadline/index.js';
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

interface WaitFlags extends KubeFlags, ManifestFlags {
  for: WaitFor;
  timeout: number;
  selector?: string;
}

/** --for=ready | delete | condition=NAME[=STATUS] */
export function waitForOption(value: string): WaitFor {
  if (value === 'ready') return { type: 'ready' };
  if (value === 'delete') return { type: 'delete' };
  const condition = /^condition=([^=]+)(?:=(.+))?$/.exec(value);
  if (condition?.[1])
    return { type: 'condition', condition: condition[1], ...(condition[2] ? { status: condition[2] } : {}) };
  throw new InvalidArgumentError('expected ready, delete, or condition=NAME[=STATUS].');
}

export function waitCommand(ctx: CliContext): Command {
  return addManifestFlags(addKubeFlags(new Command('wait')))
    .description('wait (by watching) until objects are ready, deleted, or have a condition')
    .argument('[args...]', 'TYPE/NAME..., TYPE NAME..., or TYPE with -l')
    .requiredOption(
      '--for <goal>',
      'ready (kstatus rules), delete, or condition=NAME[=STATUS]',
      waitForOption,
    )
    .addOption(durationFlag('--timeout <duration>', 'give up after this long', 30_000, timeoutOption))
    .option('-l, --selector <selector>', 'wait for every object of TYPE that matches')
    .action(async (args: string[], flags: WaitFlags) => {
      const deadline = new Deadline(flags.timeout);
      const client = await connectWith(ctx, flags, deadline);
      try {
        let objects: KubeObject[];
        if ((flags.filename ?? []).length > 0) objects = (await readManifests(ctx, flags)).objects;
        else if (flags.selector !== undefined && args.length === 1)
          objects = await client.list(args[0] ?? '', { labelSelector: flags.selector });
        else objects = await namedObjects(client, args);
        if (objects.length === 0) {
          if (args.length === 0 && !flags.selector)
            throw new UsageError(
              'wait needs objects: -f FILE, TYPE/NAME..., or TYPE -l SELECTOR',
              'for example: cncfdemo wait deploy/web --for=ready',
            );
          ctx.io.stderr.write('No resources found\n');
          return;
        }
        await client.waitFor(objects, flags.for, {
          timeoutMs: Math.max(deadline.remainingMs(), 1),
          statedTimeoutMs: flags.timeout,
        });
        const verb =
          flags.for.type === 'delete' ? 'deleted' : flags.for.type === 'ready' ? 'ready' : 'condition met';
        for (const o of objects) ctx.io.stdout.write(`${displayName(o)} ${verb}\n`);
      } finally {
        client.close();
      }
    });
}
