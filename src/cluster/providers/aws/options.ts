import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../../config/paths.js';
import type { ClusterSpec } from '../../types.js';

/** The aws provider's part of a cluster spec (`spec.options`), as the CLI flags give it. */
export interface AwsOptions {
  region?: string;
  endpoint?: string;
  masterInstanceType?: string;
  nodeInstanceType?: string;
  image?: string;
  /** An OpenSSH public key file to import as the instances' key pair. */
  sshPublicKey?: string;
  adminCidr?: string;
  /** How long create waits for the API to be healthy behind the load balancer; 0: do not wait. */
  apiTimeoutMs?: number;
}

export interface AwsDefaults {
  masterInstanceType: string;
  nodeInstanceType: string;
  vpcCidr: string;
  subnetCidrs: string[];
  zones: number;
  adminCidr: string;
  images: { owner: string; name: string }[];
}

/** Everything a bootstrap needs, defaults applied. */
export interface ResolvedAwsOptions extends Omit<AwsOptions, 'region'> {
  region: string;
  masters: number;
  nodes: number;
  masterInstanceType: string;
  nodeInstanceType: string;
  adminCidr: string;
  apiTimeoutMs: number;
  defaults: AwsDefaults;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'region',
  'endpoint',
  'masterInstanceType',
  'nodeInstanceType',
  'image',
  'sshPublicKey',
  'adminCidr',
  'apiTimeoutMs',
]);

export const AWS_DEFAULTS_PATH = join(packageRoot, 'data', 'aws', 'defaults.yaml');

export async function loadAwsDefaults(path = AWS_DEFAULTS_PATH): Promise<AwsDefaults> {
  const doc = parse(await readFile(path, 'utf8')) as AwsDefaults & { kind?: string };
  if (doc.kind !== 'AwsDefaults') throw new Error(`${path} is not AwsDefaults`);
  return doc;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IMAGE = /^ami-[0-9a-f]{8,17}$/;

/** The options with defaults, and every problem with them (empty when they are fine). */
export function resolveAwsOptions(
  spec: ClusterSpec,
  env: NodeJS.ProcessEnv,
  defaults: AwsDefaults,
): { options: ResolvedAwsOptions; problems: string[] } {
  const raw = (spec.options ?? {}) as AwsOptions & Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) problems.push(`unknown aws options: ${unknown.join(', ')}`);
  const region = raw.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '';
  if (region === '') problems.push('no AWS region: pass --region or set AWS_REGION');
  else if (!REGION.test(region)) problems.push(`--region "${region}" is not an AWS region like us-east-1`);
  const options: ResolvedAwsOptions = {
    ...raw,
    region,
    masters: spec.masters ?? 1,
    nodes: spec.nodes,
    masterInstanceType: raw.masterInstanceType ?? defaults.masterInstanceType,
    nodeInstanceType: raw.nodeInstanceType ?? defaults.nodeInstanceType,
    adminCidr: raw.adminCidr ?? defaults.adminCidr,
    apiTimeoutMs: raw.apiTimeoutMs ?? 15 * 60_000,
    defaults,
  };
  for (const [flag, type] of [
    ['--master-type', options.masterInstanceType],
    ['--node-type', options.nodeInstanceType],
  ] as const) {
    if (!INSTANCE_TYPE.test(type)) problems.push(`${flag} "${type}" is not an instance type like t3.large`);
  }
  const cidr = CIDR.exec(options.adminCidr);
  if (!cidr || cidr.slice(1, 5).some((o) => Number(o) > 255) || Number(cidr[5]) > 32)
    problems.push(`--admin-cidr "${options.adminCidr}" is not an IPv4 CIDR like 203.0.113.0/24`);
  if (options.image !== undefined && !IMAGE.test(options.image))
    problems.push(`--image "${options.image}" is not an AMI id like ami-0123456789abcdef0`);
  if (options.endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(options.endpoint))
    problems.push(`--aws-endpoint "${options.endpoint}" is not a URL like http://127.0.0.1:5000`);
  if (options.masters > 9) problems.push(`--masters must be from 1 to 9 (got ${options.masters})`);
  return { options, problems };
}
