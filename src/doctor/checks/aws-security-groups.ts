import { errorMessage } from '../../errors/index.js';
import { clusterCheck, fail, pass } from '../types.js';

export const awsSecurityGroupsCheck = clusterCheck({
  id: 'aws-security-groups',
  title: 'No AWS instance has more than one security group tagged for the cluster',
  area: 'aws',
  needs: ['aws'],
  async run(ctx) {
    const { aws } = ctx;
    const { region } = aws;
    // The AWS SDK takes ~300 ms to load: only when this check really runs, not on every cncfdemo command.
    const { describeInventory, ec2Client, findTagConflicts } = await import('../../aws/security-groups.js');
    const where = `region ${region}${aws.endpoint ? ` at ${aws.endpoint}` : ''}`;
    const client = ec2Client({ ...aws, region });
    let inventory;
    try {
      inventory = await describeInventory(client, ctx.signal);
    } catch (err) {
      return fail(
        [`EC2 API in ${where}: ${errorMessage(err)}`],
        'Check AWS credentials (AWS_PROFILE / AWS_ACCESS_KEY_ID) and that they allow ec2:DescribeInstances and ec2:DescribeSecurityGroups.',
      );
    } finally {
      client.destroy();
    }
    const scope = aws.clusterName ? `cluster ${aws.clusterName}` : 'any cluster';
    const conflicts = findTagConflicts(inventory.instances, inventory.groups, aws.clusterName);
    const evidence = [
      `${inventory.instances.length} instance(s), ${inventory.groups.size} security group(s) in ${where}; tags for ${scope}`,
    ];
    if (conflicts.length === 0) return pass(evidence);
    for (const c of conflicts) {
      evidence.push(
        `${c.instanceId}: ${c.groups.length} security groups tagged for cluster ${c.cluster}: ${c.groups.map((g) => `${g.id} (${g.name}, ${g.tag})`).join(', ')}`,
      );
    }
    return fail(
      evidence,
      'Keep the cluster tag (KubernetesCluster or kubernetes.io/cluster/<name>) on exactly one security group per instance ' +
        '(the seed removed it from the masters\' group); otherwise the cloud provider logs "Multiple tagged security groups ' +
        'found for instance" and LoadBalancer Services stay "creating..." forever.',
    );
  },
});
