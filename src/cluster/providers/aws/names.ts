import { createHash } from 'node:crypto';
import type { NodeRole } from '../../node/render.js';

/** The names of a cluster's AWS resources, derived from the cluster name only: a re-run finds them again. */
export interface AwsNames {
  /** EC2, IAM, ASG and launch-template names: `cncfdemo-<cluster>-<suffix>`. */
  of(suffix: string): string;
  /** Load balancer and target group names: at most 32 characters. */
  short(suffix: string): string;
  role(role: NodeRole): string;
  /** The private zone: `<cluster>.k8s`; the masters and minions are found at `masters.<zone>`, `minions.<zone>`. */
  zone: string;
  record(role: NodeRole): string;
  /** SSM path of the cluster's secrets and what the masters publish. */
  secrets: string;
  iamPath: string;
}

export function awsNames(cluster: string): AwsNames {
  const of = (suffix: string): string => `cncfdemo-${cluster}-${suffix}`;
  const zone = `${cluster}.k8s`;
  return {
    of,
    short(suffix) {
      const full = `${cluster}-${suffix}`;
      if (full.length <= 32) return full;
      const hash = createHash('sha256').update(cluster).digest('hex').slice(0, 6);
      return `${cluster.slice(0, 32 - suffix.length - 8)}-${hash}-${suffix}`;
    },
    role: (role) => of(role),
    zone,
    record: (role) => `${role === 'master' ? 'masters' : 'minions'}.${zone}`,
    secrets: `/cncfdemo/${cluster}`,
    iamPath: `/cncfdemo/${cluster}/`,
  };
}
