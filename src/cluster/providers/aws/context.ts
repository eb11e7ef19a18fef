import type { AwsTag } from '../../../aws/tags.js';
import { clusterTags } from '../../../aws/tags.js';
import type { Logger } from '../../../log/logger.js';
import type { AwsClients } from './clients.js';
import type { Journal } from './journal.js';
import type { AwsNames } from './names.js';
import type { ResolvedAwsOptions } from './options.js';
import type { Backoff, Clock } from './wait.js';

/** What the steps found or created so far; later steps read what earlier ones set. */
export interface BootstrapState {
  accountId?: string;
  vpcId?: string;
  subnetIds?: string[];
  zones?: string[];
  internetGatewayId?: string;
  routeTableId?: string;
  securityGroups?: Partial<Record<'master' | 'minion', string>>;
  keyName?: string;
  instanceProfiles?: Partial<Record<'master' | 'minion', string>>;
  loadBalancerArn?: string;
  loadBalancerDns?: string;
  targetGroupArn?: string;
  imageId?: string;
  launchTemplates?: Partial<Record<'master' | 'minion', string>>;
  autoScalingGroups?: Partial<Record<'master' | 'minion', string>>;
  hostedZoneId?: string;
}

/** One cluster operation's shared context: clients, names, tags, journal, clock. */
export interface AwsContext {
  cluster: string;
  home: string;
  options: ResolvedAwsOptions;
  clients: AwsClients;
  names: AwsNames;
  journal: Journal;
  clock: Clock;
  /** Backoff for a wait of this long (the context's clock and signal). */
  backoff(timeoutMs: number): Backoff;
  logger?: Logger;
  signal?: AbortSignal;
  state: BootstrapState;
}

export type AwsRole = 'master' | 'minion' | 'shared';

export const tagsFor = (ctx: Pick<AwsContext, 'cluster'>, role: AwsRole, name: string): AwsTag[] =>
  clusterTags(ctx.cluster, role, name);

/** EC2's TagSpecifications for one resource type. */
export const tagSpec = (ctx: Pick<AwsContext, 'cluster'>, type: string, role: AwsRole, name: string) => [
  { ResourceType: type as never, Tags: tagsFor(ctx, role, name) },
];

/** Records a found or created resource in the journal. */
export async function journal(
  ctx: AwsContext,
  step: string,
  type: string,
  id: string,
  created: boolean,
): Promise<void> {
  if (created) ctx.logger?.info(`created ${type} ${id}`);
  await ctx.journal.record({ step, type, id, created });
}
