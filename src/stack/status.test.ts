import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/types.js';
import { stackLabels } from './labels.js';
import type { StackSources } from './plan.js';
import { stackRecordObject } from './record.js';
import { readStackSources } from './sources.js';
import { readValuesSources, resolveValues } from './values.js';
import { componentStatuses } from './status.js';

let sources: StackSources;
beforeAll(async () => {
  sources = await readStackSources();
});

function deployment(component: string, name: string, replicas: number, available: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'demo', generation: 1, labels: stackLabels(component) },
    spec: { replicas },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      conditions: [{ type: 'Available', status: available >= replicas ? 'True' : 'False' }],
    },
  };
}

/** A one-shot Job the controller has not marked Complete yet, and its pod in `phase`. */
function jobAndPod(component: string, phase: string): [KubeObject[], KubeObject[]] {
  const labels = stackLabels(component);
  return [
    [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: `${component}-1`, namespace: 'demo', uid: 'job-1', labels },
        spec: { completions: 1, parallelism: 1 },
        status: { startTime: '2025-01-01T00:00:00Z', active: 1 },
      },
    ],
    [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${component}-1-abcde`,
          namespace: 'demo',
          labels,
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'Job', name: `${component}-1`, uid: 'job-1', controller: true },
          ],
        },
        status: { phase },
      },
    ],
  ];
}

describe('component status', () => {
  it('judges a Job by its pods as start does: Ready once its pod Succeeded, before its Complete condition', () => {
    const state = (phase: string) =>
      componentStatuses(sources, ...jobAndPod('mongo-add-shards', phase)).find(
        (s) => s.name === 'mongo-add-shards',
      )?.state;
    expect(state('Running')).toBe('NotReady');
    expect(state('Succeeded')).toBe('Ready');
  });

  it('is Ready when every workload is, Not ready with the reason otherwise, and NotDeployed without objects', () => {
    const statuses = componentStatuses(sources, [
      deployment('mongos', 'mongos', 2, 2),
      deployment('countly-api', 'countly-api', 3, 1),
    ]);
    const byName = new Map(statuses.map((s) => [s.name, s]));
    expect(byName.get('mongos')).toMatchObject({ state: 'Ready', objects: 1 });
    expect(byName.get('countly-api')?.state).toBe('NotReady');
    expect(byName.get('countly-api')?.detail).toContain('deployment/countly-api');
    expect(byName.get('grafana')).toMatchObject({ state: 'NotDeployed', objects: 0 });
    expect(statuses.map((s) => s.name)).toEqual(sources.definition.components.map((c) => c.name));
  });

  it('counts background work as Ready however many of its pods found room, and says whether BOINC is attached', () => {
    const boinc = deployment('boinc', 'boinc', 4, 1);
    const unattached = componentStatuses(sources, [boinc]).find((s) => s.name === 'boinc');
    expect(unattached).toMatchObject({ state: 'Ready' });
    expect(unattached?.detail).toBe(
      '1/4 pods on idle capacity, running unattached: no account key (start --boinc-key-env VAR attaches it)',
    );
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'boinc-attach',
        namespace: 'demo',
        labels: stackLabels('boinc'),
        annotations: { 'cncfdemo.io/boinc-project': 'https://example.org/project/' },
      },
    };
    const attached = componentStatuses(sources, [boinc, secret]).find((s) => s.name === 'boinc');
    expect(attached?.detail).toBe('1/4 pods on idle capacity, attached to https://example.org/project/');
  });

  it('says which components the values left out, from the stack record, and which are simply missing', async () => {
    const values = resolveValues(await readValuesSources(), [
      { mongo: { enabled: false }, countly: { apiServer: 'ingest', dashboardEnabled: false } },
    ]);
    // as `start` applies it: in the foundation component, labelled like every stack object
    const record = stackRecordObject('demo', {
      values,
      leftOut: [
        { name: 'mongos', when: 'mongo.enabled' },
        { name: 'countly-dashboard', when: 'countly.dashboardEnabled' },
      ],
    });
    record.metadata.labels = stackLabels('foundation');
    const byName = new Map(
      componentStatuses(sources, [record, deployment('countly-api', 'countly-api', 2, 2)]).map((s) => [
        s.name,
        s,
      ]),
    );
    expect(byName.get('mongos')).toEqual({
      name: 'mongos',
      title: 'mongos query router',
      state: 'Disabled',
      objects: 0,
      detail: 'left out by the values (mongo.enabled is off)',
    });
    expect(byName.get('countly-dashboard')).toMatchObject({
      state: 'Disabled',
      detail: 'left out by the values (countly.dashboardEnabled is off)',
    });
    // not in the record's leftOut and without objects: not deployed, whatever the values say
    expect(byName.get('mongo-config')).toMatchObject({ state: 'NotDeployed', objects: 0, detail: '' });
    expect(byName.get('boinc')).toMatchObject({ state: 'NotDeployed', objects: 0 });
    expect(byName.get('countly-api')).toMatchObject({ state: 'Ready', objects: 1 });
    expect(byName.get('foundation')).toMatchObject({ state: 'Ready', objects: 1 });
  });

  it('counts nothing as disabled without a stack record', () => {
    const statuses = componentStatuses(sources, [deployment('countly-api', 'countly-api', 2, 2)]);
    expect(statuses.filter((s) => s.state === 'Disabled')).toEqual([]);
  });
});
