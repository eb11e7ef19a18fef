import { Command, Option } from 'commander';
import { formatJson, formatTable, runDoctor } from '../../api/doctor.js';
import { ExitError } from '../../errors/index.js';
import { EventStream } from '../../events/index.js';
import type { CliContext } from '../context.js';
import {
  addClusterFlags,
  CLUSTER_FLAG_DESCRIPTION,
  clusterTarget,
  type ClusterFlags,
} from '../kube-flags.js';
import { collect } from '../options.js';
import { printEvents } from '../ui/event-log.js';

interface DoctorFlags extends Omit<ClusterFlags, 'cluster'> {
  /** true: the cluster checks on the current (or --context) context; a name: on context cncfdemo-NAME. */
  cluster?: boolean | string;
  check?: string[];
  root: string;
  output: 'table' | 'json';
  awsRegion?: string;
  awsEndpoint?: string;
  awsCluster?: string;
  probeImage?: string;
}

export function doctorCommand(ctx: CliContext): Command {
  return addClusterFlags(
    new Command('doctor')
      .description(
        "check a node's root filesystem (default) or a cluster (--cluster) for the post-mortem's pitfalls",
      )
      .option(
        '--cluster [name]',
        `check a cluster (API, nodes, DNS, routing, AWS tags): the current context's, or with NAME ${CLUSTER_FLAG_DESCRIPTION}`,
      ),
  )
    .option('--check <id>', 'run only this check (repeatable)', collect)
    .option('--root <path>', 'root filesystem for node checks', '/')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--aws-region <region>', 'AWS region to check (default $AWS_REGION)')
    .option('--aws-endpoint <url>', "EC2 API endpoint (default the region's; e.g. a local emulator)")
    .option('--aws-cluster <name>', 'only security groups tagged for this cluster name')
    .option('--probe-image <image>', 'image of the in-cluster probe pods, a busybox (default busybox:1.36)')
    .action(async (flags: DoctorFlags) => {
      const { cluster, ...rest } = flags;
      const target = clusterTarget({ ...rest, ...(typeof cluster === 'string' ? { cluster } : {}) });
      // The pinned AWS SDK runs on Node 20 but warns on stderr about its future releases; the report is the output.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const events = new EventStream();
      const stop = ctx.io.stderr.isTTY ? printEvents(events, ctx.io.stderr) : () => undefined;
      const report = await runDoctor({
        env: ctx.io.env,
        events,
        root: flags.root,
        ...(cluster !== undefined ? { cluster: true } : {}),
        ...(flags.check ? { checks: flags.check } : {}),
        ...target,
        ...(flags.awsRegion ? { awsRegion: flags.awsRegion } : {}),
        ...(flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {}),
        ...(flags.awsCluster ? { awsClusterName: flags.awsCluster } : {}),
        ...(flags.probeImage ? { probeImage: flags.probeImage } : {}),
      }).finally(stop);
      ctx.io.stdout.write(flags.output === 'json' ? formatJson(report) : formatTable(report));
      if (report.verdict === 'FAIL') throw new ExitError(1);
    });
}
