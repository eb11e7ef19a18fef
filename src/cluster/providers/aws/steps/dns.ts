import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { ListHostedZonesCommand, type HostedZone } from '@aws-sdk/client-route-53';
import { UserError } from '../../../../errors/index.js';
import type { NodeRole } from '../../../node/render.js';
import { type AwsContext, journal, tagsFor } from '../context.js';
import { isAwsError } from '../errors.js';
import { waitFor } from '../wait.js';
import { inServiceInstances } from './compute.js';
import { must } from './network.js';

const zoneId = (id: string): string => id.replace(/^\/hostedzone\//, '');
const RECORD_TTL = 30;

/** The private zone `<cluster>.k8s` associated with the cluster's VPC, found by name and VPC. */
export async function findZone(ctx: AwsContext, vpcId: string | undefined): Promise<string | undefined> {
  const { route53 } = ctx.clients;
  const name = `${ctx.names.zone}.`;
  const zones =
    (await route53.send(new ListHostedZonesByNameCommand({ DNSName: name }))).HostedZones?.filter(
      (z) => z.Name === name && z.Config?.PrivateZone,
    ) ?? [];
  for (const z of zones) {
    const id = zoneId(z.Id ?? '');
    const detail = await route53.send(new GetHostedZoneCommand({ Id: id }));
    if (vpcId === undefined || detail.VPCs?.some((v) => v.VPCId === vpcId)) return id;
  }
  return undefined;
}

export async function ensureZone(ctx: AwsContext): Promise<void> {
  const { route53 } = ctx.clients;
  const vpcId = must(ctx.state.vpcId, 'the VPC');
  let id = await findZone(ctx, vpcId);
  const created = id === undefined;
  if (id === undefined) {
    try {
      id = zoneId(
        (
          await route53.send(
            new CreateHostedZoneCommand({
              Name: ctx.names.zone,
              // The same for a retried creation: Route53 then answers HostedZoneAlreadyExists instead of a twin.
              CallerReference: `cncfdemo-${ctx.cluster}-${vpcId}`,
              VPC: { VPCId: vpcId, VPCRegion: ctx.options.region as never },
              HostedZoneConfig: { PrivateZone: true, Comment: `cncfdemo cluster ${ctx.cluster}` },
            }),
          )
        ).HostedZone?.Id ?? '',
      );
    } catch (err) {
      if (!isAwsError(err, 'HostedZoneAlreadyExists')) throw err;
      id = await findZone(ctx, vpcId);
    }
  }
  const zone = must(id, 'the private zone');
  await journal(ctx, 'zone', 'hosted-zone', zone, created);
  await route53.send(
    new ChangeTagsForResourceCommand({
      ResourceType: 'hostedzone',
      ResourceId: zone,
      AddTags: tagsFor(ctx, 'shared', ctx.names.zone),
    }),
  );
  ctx.state.hostedZoneId = zone;
}

/** The private addresses of instances, in id order. */
async function privateAddresses(ctx: AwsContext, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const reservations =
    (await ctx.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }))).Reservations ?? [];
  return reservations
    .flatMap((r) => r.Instances ?? [])
    .map((i) => i.PrivateIpAddress ?? '')
    .filter(Boolean)
    .sort();
}

/** Applies record changes and waits until Route53 has them everywhere (PENDING -> INSYNC). */
export async function changeRecords(
  ctx: AwsContext,
  hostedZoneId: string,
  changes: { Action: 'UPSERT' | 'DELETE'; ResourceRecordSet: ResourceRecordSet }[],
): Promise<void> {
  if (changes.length === 0) return;
  const { route53 } = ctx.clients;
  const change = (
    await route53.send(
      new ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Changes: changes } }),
    )
  ).ChangeInfo;
  const id = must(change?.Id, 'the Route53 change');
  await waitFor(
    `Route53 change ${id} to be INSYNC`,
    async (report) => {
      const status = (await route53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status;
      report(status ?? 'unknown');
      return status === 'INSYNC' ? true : undefined;
    },
    ctx.backoff(5 * 60_000),
  );
}

export async function recordSets(ctx: AwsContext, hostedZoneId: string): Promise<ResourceRecordSet[]> {
  const sets: ResourceRecordSet[] = [];
  let start: { StartRecordName?: string; StartRecordType?: never } = {};
  for (;;) {
    const page = await ctx.clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ...start }),
    );
    sets.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated || !page.NextRecordName) return sets;
    start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType as never };
  }
}

/**
 * The seed's DNS discovery, done by cncfdemo instead of a Lambda: `masters.<zone>` and `minions.<zone>` hold
 * the private addresses of each group's InService instances. Changes only what differs.
 */
export async function syncRoleRecords(ctx: AwsContext): Promise<Record<NodeRole, string[]>> {
  const zone = must(ctx.state.hostedZoneId, 'the private zone');
  const existing = await recordSets(ctx, zone);
  const result = {} as Record<NodeRole, string[]>;
  const changes: Parameters<typeof changeRecords>[2] = [];
  for (const role of ['master', 'minion'] as const) {
    const name = `${ctx.names.record(role)}.`;
    const addresses = await privateAddresses(ctx, await inServiceInstances(ctx, role));
    result[role] = addresses;
    const current = existing.find((r) => r.Name === name && r.Type === 'A');
    const have = (current?.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
    if (addresses.length === 0) {
      if (current) changes.push({ Action: 'DELETE', ResourceRecordSet: current });
    } else if (JSON.stringify(have) !== JSON.stringify(addresses)) {
      changes.push({
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: name,
          Type: 'A',
          TTL: RECORD_TTL,
          ResourceRecords: addresses.map((Value) => ({ Value })),
        },
      });
    }
  }
  await changeRecords(ctx, zone, changes);
  return result;
}

/** The public zone a name belongs to: the one with the longest name the hostname ends with. */
async function publicZoneOf(ctx: AwsContext, hostname: string): Promise<string> {
  const zones: HostedZone[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.route53.send(new ListHostedZonesCommand(marker ? { Marker: marker } : {}));
    zones.push(...(page.HostedZones ?? []));
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  const fqdn = `${hostname}.`;
  const zone = zones
    .filter((z) => !z.Config?.PrivateZone && (fqdn === z.Name || fqdn.endsWith(`.${z.Name ?? ''}`)))
    .sort((a, b) => (b.Name ?? '').length - (a.Name ?? '').length)[0];
  if (!zone?.Id) {
    throw new UserError(
      `no public Route53 zone holds ${hostname}`,
      `create a hosted zone for its domain first (aws route53 create-hosted-zone), or start without --domain`,
    );
  }
  return zoneId(zone.Id);
}

/**
 * The seed's readable hostname: `hostname` (countly.<domain>) in its public zone, a CNAME to a load
 * balancer's name (an A record for an IP); `target` undefined deletes it. Waits until Route53 has it.
 */
export async function setHostname(
  ctx: AwsContext,
  hostname: string,
  target: string | undefined,
): Promise<void> {
  const zone = await publicZoneOf(ctx, hostname);
  const current = (await recordSets(ctx, zone)).find(
    (r) => r.Name === `${hostname}.` && (r.Type === 'CNAME' || r.Type === 'A'),
  );
  if (target === undefined) {
    if (current) await changeRecords(ctx, zone, [{ Action: 'DELETE', ResourceRecordSet: current }]);
    return;
  }
  const type = /^\d{1,3}(\.\d{1,3}){3}$/.test(target) ? 'A' : 'CNAME';
  if (current?.Type === type && current.ResourceRecords?.[0]?.Value === target) return;
  await changeRecords(ctx, zone, [
    ...(current && current.Type !== type ? [{ Action: 'DELETE' as const, ResourceRecordSet: current }] : []),
    {
      Action: 'UPSERT',
      ResourceRecordSet: { Name: `${hostname}.`, Type: type, TTL: 60, ResourceRecords: [{ Value: target }] },
    },
  ]);
}
