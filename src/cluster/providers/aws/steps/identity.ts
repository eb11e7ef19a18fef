import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { UserError } from '../../../../errors/index.js';
import type { NodeRole } from '../../../node/render.js';
import { type AwsContext, journal, tagSpec, tagsFor } from '../context.js';
import { isAwsError } from '../errors.js';
import { ours } from './network.js';

/** Imports the given OpenSSH public key as the instances' key pair (none given: reach them through SSM). */
export async function ensureKeyPair(ctx: AwsContext): Promise<void> {
  const file = ctx.options.sshPublicKey;
  if (file === undefined) return;
  const name = ctx.names.of('key');
  const { ec2 } = ctx.clients;
  const found = (await ec2.send(new DescribeKeyPairsCommand({ Filters: ours(ctx) }))).KeyPairs?.[0];
  if (!found) {
    const key = await readFile(file, 'utf8').catch(() => {
      throw new UserError(
        `cannot read the SSH public key ${file}`,
        'pass --ssh-public-key with an OpenSSH .pub file',
      );
    });
    await ec2.send(
      new ImportKeyPairCommand({
        KeyName: name,
        PublicKeyMaterial: Buffer.from(key.trim()),
        TagSpecifications: tagSpec(ctx, 'key-pair', 'shared', name),
      }),
    );
  }
  ctx.state.keyName = name;
  await journal(ctx, 'key-pair', 'key-pair', name, !found);
}

/** kubeadm's bootstrap token format: `[a-z0-9]{6}.[a-z0-9]{16}`. */
export function bootstrapToken(random: (n: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number): string => [...random(n)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${pick(6)}.${pick(16)}`;
}

/** The secrets the nodes read (never in user-data or output): generated once, kept in SSM SecureStrings. */
const SECRETS: Record<string, () => string> = {
  'join-token': () => bootstrapToken(),
  // kubeadm's --certificate-key: encrypts the control-plane certificates it uploads for joining masters.
  'certificate-key': () => randomBytes(32).toString('hex'),
};

export async function ensureSecrets(ctx: AwsContext): Promise<void> {
  const { ssm } = ctx.clients;
  for (const [key, generate] of Object.entries(SECRETS)) {
    const name = `${ctx.names.secrets}/${key}`;
    let exists = true;
    try {
      await ssm.send(new GetParameterCommand({ Name: name }));
    } catch (err) {
      if (!isAwsError(err, 'ParameterNotFound')) throw err;
      exists = false;
    }
    if (!exists) {
      try {
        await ssm.send(
          new PutParameterCommand({
            Name: name,
            Type: 'SecureString',
            Value: generate(),
            Tags: tagsFor(ctx, 'shared', name),
          }),
        );
      } catch (err) {
        // Created meanwhile (a concurrent run): keep the one that exists, the nodes may have read it.
        if (!isAwsError(err, 'ParameterAlreadyExists')) throw err;
      }
    }
    await journal(ctx, 'secrets', 'ssm-parameter', name, !exists);
  }
}

/** What each role may do: read the secrets it needs; masters also publish what joining nodes wait for. */
function rolePolicy(ctx: AwsContext, role: NodeRole, accountId: string): string {
  const arn = (key: string): string =>
    `arn:aws:ssm:${ctx.options.region}:${accountId}:parameter${ctx.names.secrets}/${key}`;
  const statements =
    role === 'master'
      ? [
          { Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: [arn('*')] },
          // Read-only views Kubernetes' AWS integrations use (node addresses, zones, load balancers).
          {
            Effect: 'Allow',
            Action: ['ec2:Describe*', 'elasticloadbalancing:Describe*', 'autoscaling:Describe*'],
            Resource: '*',
          },
        ]
      : [
          // Workers never see the certificate key: only what joining as a worker takes.
          {
            Effect: 'Allow',
            Action: ['ssm:GetParameter'],
            Resource: [arn('join-token'), arn('ca-cert-hash')],
          },
          { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeRegions'], Resource: '*' },
        ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ASSUME_ROLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An IAM role and instance profile per node role, under the cluster's IAM path. */
export async function ensureIam(ctx: AwsContext): Promise<void> {
  const { iam } = ctx.clients;
  const accountId = ctx.state.accountId ?? '*';
  const profiles: Partial<Record<NodeRole, string>> = {};
  for (const role of ['master', 'minion'] as const) {
    const name = ctx.names.role(role);
    const tags = tagsFor(ctx, role, name);
    let roleExists = true;
    try {
      await iam.send(new GetRoleCommand({ RoleName: name }));
    } catch (err) {
      if (!isAwsError(err, 'NoSuchEntity')) throw err;
      roleExists = false;
      await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          Path: ctx.names.iamPath,
          AssumeRolePolicyDocument: ASSUME_ROLE,
          Description: `cncfdemo cluster ${ctx.cluster}: ${role}s`,
          Tags: tags,
        }),
      );
    }
    await journal(ctx, 'iam', 'iam-role', name, !roleExists);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'cncfdemo-node',
        PolicyDocument: rolePolicy(ctx, role, accountId),
      }),
    );
    let profile;
    try {
      profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })))
        .InstanceProfile;
    } catch (err) {
      if (!isAwsError(err, 'NoSuchEntity')) throw err;
      profile = (
        await iam.send(
          new CreateInstanceProfileCommand({
            InstanceProfileName: name,
            Path: ctx.names.iamPath,
            Tags: tags,
          }),
        )
      ).InstanceProfile;
      await journal(ctx, 'iam', 'instance-profile', name, true);
    }
    if (!profile?.Roles?.some((r) => r.RoleName === name)) {
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
    }
    profiles[role] = name;
  }
  ctx.state.instanceProfiles = profiles;
}
