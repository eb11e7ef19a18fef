import { Command, Option } from 'commander';
import { getObjects } from '../../api/kube.js';
import type { CliContext } from '../context.js';
import { addKubeFlags, connectWith, type KubeFlags } from '../kube-flags.js';
import { formatObjects, formatTable } from '../ui/kube-print.js';

interface GetFlags extends KubeFlags {
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  output?: 'wide' | 'yaml' | 'json' | 'name';
}

export function getCommand(ctx: CliContext): Command {
  return addKubeFlags(new Command('get'))
    .description('show objects like kubectl get: get pods, get deploy web, get svc -A, get cm -o yaml')
    .argument(
      '<type>',
      'resource type (pods, deploy, deployments.apps, ...), several with commas, or TYPE/NAME',
    )
    .argument('[names...]', 'object names')
    .option('-l, --selector <selector>', 'label selector (app=web,tier!=db)')
    .option('--field-selector <selector>', 'field selector (status.phase=Running)')
    .option('-A, --all-namespaces', 'across all namespaces')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'yaml', 'json', 'name']))
    .action(async (type: string, names: string[], flags: GetFlags) => {
      const client = await connectWith(ctx, flags);
      try {
        const format = flags.output;
        const objects = format === 'yaml' || format === 'json' || format === 'name';
        const result = await getObjects(client, { ...flags, type, names, objects });
        if (objects) {
          ctx.io.stdout.write(formatObjects(result.objects, format, result.single));
          return;
        }
        const several = result.tables.length > 1;
        let printed = false;
        result.tables.forEach(({ table, prefix }) => {
          const text = formatTable(table, {
            wide: format === 'wide',
            withNamespace: flags.allNamespaces === true,
            ...(several ? { namePrefix: prefix } : {}),
          });
          if (table.rows.length === 0) return;
          ctx.io.stdout.write(`${printed ? '\n' : ''}${text}`);
          printed = true;
        });
        if (result.tables.every((t) => t.table.rows.length === 0))
          ctx.io.stderr.write(`${result.emptyMessage}\n`);
      } finally {
        client.close();
      }
    });
}
