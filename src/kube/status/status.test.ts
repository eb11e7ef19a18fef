import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../types.js';
import { computeStatus } from './index.js';
import type { Status } from './result.js';

// Test vectors of sigs.k8s.io/cli-utils pkg/kstatus/status (status_compute_test.go), plus the rules
// cncfdemo adds: Helm 4's Job rule, Service endpoints/load balancer, HPA, Namespace.

interface Vector {
  name: string;
  spec: string;
  status: Status;
  /** Reason of the Reconciling (InProgress) or Stalled (Failed) condition. */
  reason?: string;
}

const obj = (yaml: string): KubeObject => parse(yaml) as KubeObject;

function check(vectors: readonly Vector[]): void {
  it.each(vectors)('$name -> $status', ({ spec, status, reason }) => {
    const result = computeStatus(obj(spec));
    expect(result.status).toBe(status);
    const expectedType =
      status === 'InProgress' ? 'Reconciling' : status === 'Failed' ? 'Stalled' : undefined;
    if (reason !== undefined)
      expect(result.conditions).toContainEqual(
        expect.objectContaining({ type: expectedType, status: 'True', reason }),
      );
    if (status === 'Current') expect(result.conditions).toEqual([]);
  });
}

const pod = (status: string, extraMeta = ''): string => `
apiVersion: v1
kind: Pod
metadata: {generation: 1, name: test, namespace: qual${extraMeta}}
${status}`;

describe('Pod', () => {
  check([
    { name: 'no status', spec: pod(''), status: 'InProgress', reason: 'PodNotObserved' },
    {
      name: 'ready',
      spec: pod('status: {phase: Running, conditions: [{type: Ready, status: "True"}]}'),
      status: 'Current',
    },
    {
      name: 'completed ok',
      spec: pod(
        'status: {phase: Succeeded, conditions: [{type: Ready, status: "False", reason: PodCompleted}]}',
      ),
      status: 'Current',
    },
    {
      name: 'completed failed',
      spec: pod(
        'status: {phase: Failed, conditions: [{type: Ready, status: "False", reason: PodCompleted}]}',
      ),
      status: 'Current',
    },
    {
      name: 'being scheduled',
      spec: pod(
        'status: {phase: Pending, conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]}',
        `, creationTimestamp: "${new Date().toISOString()}"`,
      ),
      status: 'InProgress',
      reason: 'PodNotScheduled',
    },
    {
      name: 'unschedulable',
      spec: pod(
        'status: {phase: Pending, conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]}',
      ),
      status: 'Failed',
      reason: 'PodUnschedulable',
    },
    {
      name: 'crash looping',
      spec: pod(`status:
  phase: Running
  conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]
  containerStatuses: [{name: nginx, state: {waiting: {reason: CrashLoopBackOff}}}]`),
      status: 'Failed',
      reason: 'ContainerCrashLooping',
    },
    {
      name: 'running, not ready',
      spec: pod('status: {phase: Running}'),
      status: 'InProgress',
      reason: 'PodRunningNotReady',
    },
  ]);
});

describe('PersistentVolumeClaim', () => {
  const pvc = (status: string): string =>
    `{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {generation: 1, name: test}${status}}`;
  check([
    { name: 'no status', spec: pvc(''), status: 'InProgress', reason: 'NotBound' },
    { name: 'bound', spec: pvc(', status: {phase: Bound}'), status: 'Current' },
  ]);
});

const sts = (body: string): string => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {generation: 1, name: test, namespace: qual}
${body}`;

describe('StatefulSet', () => {
  check([
    { name: 'no status', spec: sts(''), status: 'InProgress', reason: 'LessReplicas' },
    {
      name: 'bad status',
      spec: sts('status: {observedGeneration: 1, currentReplicas: 1}'),
      status: 'InProgress',
      reason: 'LessReplicas',
    },
    {
      name: 'ok',
      spec: sts(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, currentReplicas: 4, readyReplicas: 4, replicas: 4}',
      ),
      status: 'Current',
    },
    {
      name: 'less ready',
      spec: sts(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, currentReplicas: 4, readyReplicas: 2, replicas: 4}',
      ),
      status: 'InProgress',
      reason: 'LessReady',
    },
    {
      name: 'less current',
      spec: sts(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, currentReplicas: 2, readyReplicas: 4, replicas: 4}',
      ),
      status: 'InProgress',
      reason: 'LessCurrent',
    },
    {
      name: 'extra pods',
      spec: sts(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, currentReplicas: 4, readyReplicas: 4, replicas: 8}',
      ),
      status: 'InProgress',
      reason: 'ExtraPods',
    },
    {
      name: 'partition rollout in progress',
      spec: sts(
        'spec: {replicas: 4, updateStrategy: {rollingUpdate: {partition: 2}}}\nstatus: {observedGeneration: 1, readyReplicas: 4, replicas: 4, updatedReplicas: 1}',
      ),
      status: 'InProgress',
      reason: 'PartitionRollout',
    },
    {
      name: 'revision mismatch',
      spec: sts(
        'spec: {replicas: 1}\nstatus: {observedGeneration: 1, currentReplicas: 1, readyReplicas: 1, replicas: 1, currentRevision: a, updateRevision: b}',
      ),
      status: 'InProgress',
      reason: 'RevisionMismatch',
    },
    { name: 'on delete', spec: sts('spec: {updateStrategy: {type: OnDelete}}'), status: 'Current' },
  ]);
});

const ds = (generation: number, status: string): string => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: test, namespace: qual, generation: ${generation}}
${status}`;

describe('DaemonSet', () => {
  const full = (ready: number, available: number): string =>
    `status: {observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: ${available}, numberReady: ${ready}}`;
  check([
    { name: 'no status', spec: ds(1, ''), status: 'InProgress', reason: 'NoObservedGeneration' },
    {
      name: 'bad status',
      spec: ds(1, 'status: {observedGeneration: 1, currentReplicas: 1}'),
      status: 'InProgress',
      reason: 'NoDesiredNumber',
    },
    { name: 'ok', spec: ds(1, full(4, 4)), status: 'Current' },
    { name: 'less ready', spec: ds(1, full(2, 4)), status: 'InProgress', reason: 'LessReady' },
    {
      name: 'different generation',
      spec: ds(2, full(4, 4)),
      status: 'InProgress',
      reason: 'LatestGenerationNotObserved',
    },
    { name: 'less available', spec: ds(1, full(4, 2)), status: 'InProgress', reason: 'LessAvailable' },
  ]);
});

const dep = (body: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: test, generation: 1, namespace: qual}
${body}`;
const depCounts =
  'observedGeneration: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, replicas: 1';

describe('Deployment', () => {
  check([
    { name: 'no status', spec: dep(''), status: 'InProgress', reason: 'LessReplicas' },
    {
      name: 'ok',
      spec: dep(
        `status: {${depCounts}, conditions: [{type: Progressing, status: "True", reason: NewReplicaSetAvailable}, {type: Available, status: "True"}]}`,
      ),
      status: 'Current',
    },
    {
      name: 'not progressing',
      spec: dep(
        `spec: {progressDeadlineSeconds: 45}\nstatus: {${depCounts}, conditions: [{type: Progressing, status: "False", reason: Some reason}, {type: Available, status: "True"}]}`,
      ),
      status: 'InProgress',
      reason: 'ReplicaSetNotAvailable',
    },
    {
      name: 'no progress deadline',
      spec: dep(`status: {${depCounts}, conditions: [{type: Available, status: "True"}]}`),
      status: 'Current',
    },
    {
      name: 'not available',
      spec: dep(
        `status: {${depCounts}, conditions: [{type: Progressing, status: "True", reason: NewReplicaSetAvailable}, {type: Available, status: "False"}]}`,
      ),
      status: 'InProgress',
      reason: 'DeploymentNotAvailable',
    },
    {
      name: 'progress deadline exceeded',
      spec: dep(
        `spec: {progressDeadlineSeconds: 45}\nstatus: {observedGeneration: 1, replicas: 1, conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]}`,
      ),
      status: 'Failed',
      reason: 'ProgressDeadlineExceeded',
    },
    {
      name: 'less available than updated',
      spec: dep(
        'status: {observedGeneration: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, replicas: 1}',
      ),
      status: 'InProgress',
      reason: 'LessAvailable',
    },
  ]);
});

const rs = (body: string): string => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: test, namespace: qual, generation: 1}
${body}`;

describe('ReplicaSet', () => {
  check([
    { name: 'no status', spec: rs(''), status: 'InProgress', reason: 'LessLabelled' },
    {
      name: 'ok with ReplicaFailure False',
      spec: rs(
        'spec: {replicas: 2}\nstatus: {observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2, conditions: [{type: ReplicaFailure, status: "False"}]}',
      ),
      status: 'Current',
    },
    {
      name: 'ok',
      spec: rs(
        'spec: {replicas: 2}\nstatus: {observedGeneration: 1, fullyLabeledReplicas: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2}',
      ),
      status: 'Current',
    },
    {
      name: 'less ready',
      spec: rs(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, replicas: 4, readyReplicas: 2, availableReplicas: 4, fullyLabeledReplicas: 4}',
      ),
      status: 'InProgress',
      reason: 'LessReady',
    },
    {
      name: 'less available',
      spec: rs(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, replicas: 4, readyReplicas: 4, availableReplicas: 2, fullyLabeledReplicas: 4}',
      ),
      status: 'InProgress',
      reason: 'LessAvailable',
    },
    {
      name: 'replica failure',
      spec: rs(
        'spec: {replicas: 4}\nstatus: {observedGeneration: 1, replicas: 4, readyReplicas: 4, fullyLabeledReplicas: 4, availableReplicas: 4, conditions: [{type: ReplicaFailure, status: "True"}]}',
      ),
      status: 'InProgress',
      reason: 'ReplicaFailure',
    },
  ]);
});

describe('PodDisruptionBudget', () => {
  const pdb = (generation: number): string =>
    `{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {generation: ${generation}, name: test, namespace: qual}, status: {observedGeneration: 1}}`;
  check([
    { name: 'not observed', spec: pdb(2), status: 'InProgress', reason: 'LatestGenerationNotObserved' },
    { name: 'observed', spec: pdb(1), status: 'Current' },
  ]);
});

describe('custom resources (generic rules)', () => {
  const cr = (meta: string, status: string): string =>
    `{apiVersion: something/v1, kind: MyCR, metadata: {name: test, namespace: qual, ${meta}}${status}}`;
  check([
    { name: 'no status', spec: cr('generation: 1', ''), status: 'Current' },
    {
      name: 'ready',
      spec: cr('generation: 1', ', status: {conditions: [{type: Ready, status: "True", reason: AllOk}]}'),
      status: 'Current',
    },
    {
      name: 'not ready',
      spec: cr(
        'generation: 1',
        ', status: {observedGeneration: 1, conditions: [{type: Ready, status: "False", reason: NotReadyYet}]}',
      ),
      status: 'InProgress',
      reason: 'NotReadyYet',
    },
    {
      name: 'unrelated condition',
      spec: cr('generation: 1', ', status: {conditions: [{type: SomeCondition, status: "False"}]}'),
      status: 'Current',
    },
    {
      name: 'generation mismatch',
      spec: cr('generation: 2', ', status: {observedGeneration: 1}'),
      status: 'InProgress',
      reason: 'LatestGenerationNotObserved',
    },
    {
      name: 'Reconciling condition',
      spec: cr(
        'generation: 1',
        ', status: {conditions: [{type: Reconciling, status: "True", reason: Working}]}',
      ),
      status: 'InProgress',
      reason: 'Working',
    },
    {
      name: 'Stalled condition',
      spec: cr('generation: 1', ', status: {conditions: [{type: Stalled, status: "True", reason: Broken}]}'),
      status: 'Failed',
      reason: 'Broken',
    },
    {
      name: 'being deleted',
      spec: cr('generation: 1, deletionTimestamp: "2024-01-01T00:00:00Z"', ''),
      status: 'Terminating',
    },
  ]);
});

const job = (body: string): string => `
apiVersion: batch/v1
kind: Job
metadata: {name: test, namespace: qual, generation: 1}
${body}`;

describe('Job (Helm 4: in progress until Complete, Failed is final)', () => {
  check([
    { name: 'no status', spec: job(''), status: 'InProgress', reason: 'JobNotStarted' },
    {
      name: 'complete',
      spec: job('status: {succeeded: 1, active: 0, conditions: [{type: Complete, status: "True"}]}'),
      status: 'Current',
    },
    {
      name: 'failed',
      spec: job(
        'spec: {completions: 4}\nstatus: {succeeded: 3, failed: 1, conditions: [{type: Failed, status: "True", reason: JobFailed}]}',
      ),
      status: 'Failed',
      reason: 'JobFailed',
    },
    {
      // kstatus calls a running Job Current; Helm 4 (and cncfdemo) keep waiting for Complete.
      name: 'running',
      spec: job(
        'spec: {completions: 10, parallelism: 2}\nstatus: {startTime: "2019-06-04T01:17:13Z", succeeded: 3, failed: 1, active: 2, conditions: [{type: Failed, status: "False"}, {type: Complete, status: "False"}]}',
      ),
      status: 'InProgress',
      reason: 'JobNotComplete',
    },
  ]);
});

describe('HorizontalPodAutoscaler', () => {
  const hpa = (conditions: string): string =>
    `{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: test, namespace: qual, generation: 1}${conditions}}`;
  check([
    { name: 'no status', spec: hpa(''), status: 'InProgress', reason: 'NotObserved' },
    {
      name: 'able to scale and active',
      spec: hpa(
        ', status: {conditions: [{type: AbleToScale, status: "True"}, {type: ScalingActive, status: "True"}]}',
      ),
      status: 'Current',
    },
    {
      // At a replica bound is normal operation, not a failure.
      name: 'scaling limited',
      spec: hpa(
        ', status: {conditions: [{type: AbleToScale, status: "True"}, {type: ScalingActive, status: "True"}, {type: ScalingLimited, status: "True"}]}',
      ),
      status: 'Current',
    },
    {
      name: 'metrics missing',
      spec: hpa(
        ', status: {conditions: [{type: AbleToScale, status: "True"}, {type: ScalingActive, status: "False", reason: FailedGetResourceMetric}]}',
      ),
      status: 'InProgress',
      reason: 'FailedGetResourceMetric',
    },
  ]);
});

describe('CronJob', () => {
  check([
    {
      name: 'no status',
      spec: '{apiVersion: batch/v1, kind: CronJob, metadata: {name: test, namespace: qual, generation: 1}}',
      status: 'Current',
    },
  ]);
});

const svc = (spec: string, status = ''): string =>
  `{apiVersion: v1, kind: Service, metadata: {name: test, namespace: qual, generation: 1}${spec}${status}}`;

describe('Service', () => {
  check([
    { name: 'default', spec: svc(''), status: 'Current' },
    { name: 'node port', spec: svc(', spec: {type: NodePort}'), status: 'Current' },
    {
      name: 'load balancer without cluster IP',
      spec: svc(', spec: {type: LoadBalancer}'),
      status: 'InProgress',
      reason: 'NoIPAssigned',
    },
    {
      name: 'load balancer without ingress',
      spec: svc(', spec: {type: LoadBalancer, clusterIP: "1.2.3.4"}'),
      status: 'InProgress',
      reason: 'NoLoadBalancerIngress',
    },
    {
      name: 'load balancer with ingress',
      spec: svc(
        ', spec: {type: LoadBalancer, clusterIP: "1.2.3.4"}',
        ', status: {loadBalancer: {ingress: [{ip: "5.6.7.8"}]}}',
      ),
      status: 'Current',
    },
  ]);

  const selectorService = obj(svc(', spec: {selector: {app: web}}'));
  const slice = (endpoints: string, service = 'test'): KubeObject =>
    obj(
      `{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: s, labels: {kubernetes.io/service-name: ${service}}}, endpoints: ${endpoints}}`,
    );

  it('waits for a ready endpoint in its EndpointSlices', () => {
    expect(computeStatus(selectorService, { endpointSlices: [] }).status).toBe('InProgress');
    expect(
      computeStatus(selectorService, {
        endpointSlices: [slice('[{addresses: [a], conditions: {ready: false}}]')],
      }).status,
    ).toBe('InProgress');
    expect(
      computeStatus(selectorService, {
        endpointSlices: [slice('[{addresses: [a], conditions: {ready: true}}]', 'other')],
      }).status,
    ).toBe('InProgress');
    expect(
      computeStatus(selectorService, {
        endpointSlices: [slice('[{addresses: [a], conditions: {ready: true}}]')],
      }).status,
    ).toBe('Current');
    // An unset `ready` means ready in the EndpointSlice API.
    expect(computeStatus(selectorService, { endpointSlices: [slice('[{addresses: [a]}]')] }).status).toBe(
      'Current',
    );
  });

  it('does not wait for endpoints of a Service without selector', () => {
    expect(computeStatus(obj(svc('')), { endpointSlices: [] }).status).toBe('Current');
  });
});

describe('CustomResourceDefinition', () => {
  const crd = (conditions: string): string =>
    `{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {generation: 1}${conditions}}`;
  check([
    { name: 'no conditions', spec: crd(''), status: 'InProgress', reason: 'Installing' },
    {
      name: 'installing',
      spec: crd(
        ', status: {conditions: [{type: NamesAccepted, status: "True", reason: NoConflicts}, {type: Established, status: "False", reason: Installing}]}',
      ),
      status: 'InProgress',
      reason: 'Installing',
    },
    {
      name: 'names not accepted',
      spec: crd(', status: {conditions: [{type: NamesAccepted, status: "False", reason: SomeReason}]}'),
      status: 'Failed',
      reason: 'SomeReason',
    },
    {
      name: 'established',
      spec: crd(
        ', status: {conditions: [{type: NamesAccepted, status: "True", reason: NoConflicts}, {type: Established, status: "True", reason: InitialNamesAccepted}]}',
      ),
      status: 'Current',
    },
  ]);
});

describe('Namespace, ConfigMap, Secret', () => {
  check([
    {
      name: 'namespace active',
      spec: '{apiVersion: v1, kind: Namespace, metadata: {name: a}, status: {phase: Active}}',
      status: 'Current',
    },
    {
      name: 'namespace without phase',
      spec: '{apiVersion: v1, kind: Namespace, metadata: {name: a}}',
      status: 'InProgress',
      reason: 'NotActive',
    },
    { name: 'configmap', spec: '{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}', status: 'Current' },
    { name: 'secret', spec: '{apiVersion: v1, kind: Secret, metadata: {name: a}}', status: 'Current' },
  ]);
});
