import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { awsClient } from '../../../aws/clients.js';
import type { AwsSettings } from '../../../aws/settings.js';

/** The SDK clients one cluster operation uses, all from the one factory. */
export interface AwsClients {
  ec2: EC2Client;
  asg: AutoScalingClient;
  elb: ElasticLoadBalancingV2Client;
  /**
   * Classic ELB, which cncfdemo never creates: only Kubernetes' legacy cloud provider does (a Service of
   * type LoadBalancer). Loaded on first use, by the sweeps of delete and of the inventory.
   */
  classicElb(): Promise<ElasticLoadBalancingClient>;
  iam: IAMClient;
  route53: Route53Client;
  ssm: SSMClient;
  sts: STSClient;
  destroy(): void;
}

export function awsClients(settings: AwsSettings): AwsClients {
  const clients = {
    ec2: awsClient(EC2Client, settings),
    asg: awsClient(AutoScalingClient, settings),
    elb: awsClient(ElasticLoadBalancingV2Client, settings),
    iam: awsClient(IAMClient, settings),
    route53: awsClient(Route53Client, settings),
    ssm: awsClient(SSMClient, settings),
    sts: awsClient(STSClient, settings),
  };
  let classic: Promise<ElasticLoadBalancingClient> | undefined;
  return {
    ...clients,
    classicElb() {
      classic ??= import('@aws-sdk/client-elastic-load-balancing').then((m) =>
        awsClient(m.ElasticLoadBalancingClient, settings),
      );
      return classic;
    },
    destroy() {
      for (const c of Object.values(clients)) c.destroy();
      void classic?.then(
        (c) => {
          c.destroy();
        },
        () => undefined,
      );
    },
  };
}
