import { Command, Option } from 'commander';
import {
  clusterKubeconfig,
  clusterSpec,
  createCluster,
  planCluster,
  DEFAULT_CLUSTER_NAME,
  deleteCluster,
  listClusters,
  NODE_DEFAULTS,
  startCluster,
  stopCluster,
  type ClusterSpec,
  type ClusterSummary,
} from '../../api/cluster.js';
import { EventStream } from '../../events/index.js';
import { homeOption, type CliContext } from '../context.js';
import { collect, durationFlag, durationOption, integerOption } from '../options.js';
import { printEvents } from '../ui/event-log.js';

interface CreateFlags {
  name: string;
  nodes?: number;
  realNode?: boolean;
  registryMirror?: string[];
  dnsImage?: string;
  nodeCpu: string;
  nodeMemory: string;
  nodePods: number;
  podStartDelay: number;
  retain?: boolean;
  masters?: number;
  dryRun?: boolean;
  region?: string;
  awsEndpoint?: string;
  masterType?: string;
  nodeType?: string;
  image?: string;
  sshPublicKey?: string;
  adminCidr?: string;
  apiTimeout?: number;
}

/** Flags that set a provider's `options` (validated by the provider), as the spec names them. */
const PROVIDER_OPTION_FLAGS = {
  region: 'region',
  awsEndpoint: 'endpoint',
  masterType: 'masterInstanceType',
  nodeType: 'nodeInstanceType',
  image: 'image',
  sshPublicKey: 'sshPublicKey',
  adminCidr: 'adminCidr',
  apiTimeout: 'apiTimeoutMs',
} as const satisfies Partial<Record<keyof CreateFlags, string>>;

function providerOptions(flags: CreateFlags): Record<string, unknown> | undefined {
  const entries = Object.entries(PROVIDER_OPTION_FLAGS)
    .map(([flag, key]) => [key, flags[flag as keyof typeof PROVIDER_OPTION_FLAGS]] as const)
    .filter(([, value]) => value !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function addCreateFlags(command: Command): Command {
  return command
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER_NAME)
    .option('--nodes <count>', 'simulated nodes (default 3; 0 beside --real-node)', integerOption)
    .option('--real-node', 'local: make this machine a real node (kubelet + containerd) that runs containers')
    .option(
      '--registry-mirror <registry=url>',
      "real node: pull that registry's images from this mirror instead (e.g. docker.io=http://127.0.0.1:5000); repeatable",
      collect,
    )
    .option('--dns-image <image>', 'real node: the cluster DNS (CoreDNS) image')
    .option('--node-cpu <quantity>', 'allocatable CPU per node', NODE_DEFAULTS.cpu)
    .option('--node-memory <quantity>', 'allocatable memory per node', NODE_DEFAULTS.memory)
    .option('--node-pods <count>', 'max pods per node', integerOption, NODE_DEFAULTS.pods)
    .addOption(
      durationFlag(
        '--pod-start-delay <duration>',
        'local: simulated pods turn Ready after this delay (e.g. 500ms)',
        NODE_DEFAULTS.podStartDelayMs,
      ),
    )
    .addOption(new Option('--retain', 'keep a cluster whose creation failed, for debugging'))
    .option(
      '--masters <count>',
      'aws: control-plane machines (default 1; metal: the inventory says)',
      integerOption,
    )
    .option('--region <region>', 'aws: the region (default: AWS_REGION)')
    .option(
      '--aws-endpoint <url>',
      'aws: one endpoint for every AWS API (an emulator; also AWS_ENDPOINT_URL)',
    )
    .option('--master-type <type>', "aws: masters' instance type (default t3.medium)")
    .option('--node-type <type>', "aws: nodes' instance type (default t3.large)")
    .option('--image <ami>', 'aws: the image of every role (default: newest Debian 12)')
    .option('--ssh-public-key <file>', "aws: OpenSSH public key to import as the instances' key pair")
    .option('--admin-cidr <cidr>', 'aws: who may reach the API and SSH (default 0.0.0.0/0)')
    .option(
      '--api-timeout <duration>',
      'aws: how long to wait for the API once the machines exist (0: do not wait)',
      durationOption,
    )
    .option('--dry-run', 'print the plan and its hourly cost; create nothing');
}

export async function runCreate(ctx: CliContext, flags: CreateFlags, provider = 'local'): Promise<void> {
  const events = new EventStream();
  const stop = printEvents(events, ctx.io.stderr);
  const started = Date.now();
  try {
    const { name, nodes, nodeCpu, nodeMemory, nodePods, podStartDelay, retain, masters, realNode, dnsImage } =
      flags;
    const options = {
      name,
      nodes,
      nodeCpu,
      nodeMemory,
      nodePods,
      ...(realNode ? { realNode } : {}),
      ...(flags.registryMirror ? { registryMirrors: flags.registryMirror } : {}),
      ...(dnsImage ? { dnsImage } : {}),
      podStartDelayMs: Math.round(podStartDelay),
      ...(retain ? { retain } : {}),
      // --debug also serves the control plane's profiling endpoints, which are off otherwise
      ...(ctx.globals().debug ? { profiling: true } : {}),
      ...(masters !== undefined ? { masters } : {}),
      ...(providerOptions(flags) ? { providerOptions: providerOptions(flags) } : {}),
      provider,
      env: ctx.io.env,
      events,
      logger: ctx.logger,
      ...homeOption(ctx),
    };
    if (flags.dryRun) {
      ctx.io.stdout.write(await planCluster(options));
      return;
    }
    const info = await createCluster(options);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    ctx.io.stderr.write(
      info.pending === undefined
        ? `cluster "${info.name}" is ready in ${took}s: ${describeNodes(clusterSpec(options), provider)}, Kubernetes ${info.kubernetesVersion}, API ${info.server}${info.prometheus ? `, Prometheus ${info.prometheus}` : ''}\n` +
            `kubectl context "${info.context}" is now current. Next: cncfdemo start\n`
        : `cluster "${info.name}" is created in ${took}s (API ${info.server}); ${info.pending}\n`,
    );
  } finally {
    stop();
  }
}

export function clusterCommand(ctx: CliContext): Command {
  const cluster = new Command('cluster').description('create, start, stop, delete and list clusters');

  addCreateFlags(
    cluster.command('create').description('create a cluster (local: real control plane, simulated nodes)'),
  )
    .addOption(new Option('--provider <name>', 'where the cluster runs').default('local'))
    .action(async (flags: CreateFlags & { provider: string }) => {
      await runCreate(ctx, flags, flags.provider);
    });

  cluster
    .command('delete')
    .description('delete a cluster: its processes, files and kubeconfig context')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER_NAME)
    .action(async (flags: { name: string }) => {
      await deleteCluster({ name: flags.name, env: ctx.io.env, ...homeOption(ctx) });
      ctx.io.stderr.write(`cluster "${flags.name}" deleted\n`);
    });

  cluster
    .command('start')
    .description('start what does not run of a cluster (after a reboot, a crash), with everything it held')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER_NAME)
    .action(async (flags: { name: string }) => {
      const events = new EventStream();
      const stopPrinting = printEvents(events, ctx.io.stderr);
      const started = Date.now();
      try {
        const info = await startCluster({
          name: flags.name,
          env: ctx.io.env,
          events,
          logger: ctx.logger,
          ...homeOption(ctx),
        });
        ctx.io.stderr.write(
          `cluster "${info.name}" is running (${((Date.now() - started) / 1000).toFixed(1)}s), API ${info.server}; kubectl context "${info.context}" is current\n`,
        );
      } finally {
        stopPrinting();
      }
    });

  cluster
    .command('stop')
    .description("stop every process of a cluster that runs, keeping its state for 'cluster start'")
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER_NAME)
    .action(async (flags: { name: string }) => {
      const { stopped } = await stopCluster({
        name: flags.name,
        env: ctx.io.env,
        logger: ctx.logger,
        ...homeOption(ctx),
      });
      ctx.io.stderr.write(
        (stopped.length > 0
          ? `cluster "${flags.name}" stopped (${stopped.join(', ')})`
          : `cluster "${flags.name}" was stopped already`) +
          `; start it again with: cncfdemo cluster start --name ${flags.name}\n`,
      );
    });

  cluster
    .command('list')
    .description('list clusters: each Running, Degraded (naming what is down) or Stopped')
    .action(async () => {
      const clusters = await listClusters({ env: ctx.io.env, ...homeOption(ctx) });
      if (clusters.length === 0) {
        ctx.io.stderr.write('no clusters; create one with: cncfdemo cluster create\n');
        return;
      }
      const rows = [['NAME', 'PROVIDER', 'STATUS', 'CONTEXT']];
      for (const c of clusters) rows.push([c.name, c.provider, statusText(c), c.context]);
      ctx.io.stdout.write(table(rows));
    });

  cluster
    .command('kubeconfig')
    .description("print a cluster's kubeconfig")
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER_NAME)
    .action(async (flags: { name: string }) => {
      ctx.io.stdout.write(await clusterKubeconfig({ name: flags.name, env: ctx.io.env, ...homeOption(ctx) }));
    });

  return cluster;
}

/** "Running", "Stopped", or "Degraded (etcd, kube-scheduler down)". */
function statusText(cluster: ClusterSummary): string {
  return cluster.state === 'Degraded' ? `Degraded (${(cluster.down ?? []).join(', ')} down)` : cluster.state;
}

/** The nodes of a created cluster: a local one's are simulated (beside this machine with --real-node). */
function describeNodes(spec: ClusterSpec, provider: string): string {
  if (provider !== 'local') return `${String(spec.nodes)} nodes`;
  const parts = [
    ...(spec.realNode ? ['1 real node'] : []),
    ...(spec.nodes > 0 || !spec.realNode ? [`${String(spec.nodes)} simulated nodes`] : []),
  ];
  return parts.join(' + ');
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join(''),
      )
      .join('\n') + '\n'
  );
}
