import { Command, Option } from 'commander';
import { formatJson, formatTable, runDoctor } from '../../api/doctor.js';
import { ExitError } from '../../errors/index.js';
import { EventStream } from '../../events/index.js';
import type { CliContext } from '../context.js';
import { collect } from '../kube-flags.js';
import { printEvents } from '../ui/event-log.js';

interface DoctorFlags {
  cluster?: boolean;
  check?: string[];
  root: string;
  output: 'table' | 'json';
  kubeconfig?: string;
  context?: string;
  awsRegion?: string;
  awsEndpoint?: string;
  awsCluster?: string;
  probeImage?: string;
}

export function doctorCommand(ctx: CliContext): Command {
  return new Command('doctor')
    .description(
      "check a node's root filesystem (default) or a cluster (--cluster) for the post-mortem's pitfalls",
    )
    .option(
      '--cluster',
      'check the cluster of the current kubeconfig context (API, nodes, DNS, routing, AWS tags)',
    )
    .option('--check <id>', 'run only this check (repeatable)', collect)
    .option('--root <path>', 'root filesystem for node checks', '/')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--aws-region <region>', 'AWS region to check (default $AWS_REGION)')
    .option('--aws-endpoint <url>', "EC2 API endpoint (default the region's; e.g. a local emulator)")
    .option('--aws-cluster <name>', 'only security groups tagged for this cluster name')
    .option('--probe-image <image>', 'image of the in-cluster probe pods, a busybox (default busybox:1.36)')
    .action(async (flags: DoctorFlags) => {
      // The pinned AWS SDK runs on Node 20 but warns on stderr about its future releases; the report is the output.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const events = new EventStream();
      const stop = ctx.io.stderr.isTTY ? printEvents(events, ctx.io.stderr) : () => undefined;
      const report = await runDoctor({
        env: ctx.io.env,
        events,
        root: flags.root,
        ...(flags.cluster ? { cluster: true } : {}),
        ...(flags.check ? { checks: flags.check } : {}),
        ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
        ...(flags.context ? { context: flags.context } : {}),
        ...(flags.awsRegion ? { awsRegion: flags.awsRegion } : {}),
        ...(flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {}),
        ...(flags.awsCluster ? { awsClusterName: flags.awsCluster } : {}),
        ...(flags.probeImage ? { probeImage: flags.probeImage } : {}),
      }).finally(stop);
      ctx.io.stdout.write(flags.output === 'json' ? formatJson(report) : formatTable(report));
      if (report.verdict === 'FAIL') throw new ExitError(1);
    });
}
