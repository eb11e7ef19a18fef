import { describe, expect, it } from 'vitest';
import { lookupName } from './discovery.js';
import type { ResourceInfo } from './types.js';

const r = (
  group: string,
  version: string,
  kind: string,
  resource: string,
  shortNames: string[] = [],
): ResourceInfo => ({
  group,
  version,
  kind,
  resource,
  singular: kind.toLowerCase(),
  namespaced: true,
  shortNames,
  verbs: ['get', 'list'],
});

const resources = [
  r('', 'v1', 'Pod', 'pods', ['po']),
  r('', 'v1', 'Event', 'events', ['ev']),
  r('apps', 'v1', 'Deployment', 'deployments', ['deploy']),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa']),
  r('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa']),
  r('events.k8s.io', 'v1', 'Event', 'events', ['ev']),
];

describe('lookupName (kubectl resource names)', () => {
  it.each([
    ['pods', 'pods'],
    ['pod', 'pods'],
    ['po', 'pods'],
    ['Pod', 'pods'],
    ['deploy', 'deployments'],
    ['deployments.apps', 'deployments'],
    ['deployment.v1.apps', 'deployments'],
  ])('%s -> %s', (typed, resource) => {
    expect(lookupName(resources, typed)?.resource).toBe(resource);
  });

  it('prefers the first version discovery lists (the preferred one)', () => {
    expect(lookupName(resources, 'hpa')?.version).toBe('v2');
  });

  it('prefers the core group for names several groups serve, like kubectl', () => {
    expect(lookupName(resources, 'events')?.group).toBe('');
    expect(lookupName(resources, 'events.events.k8s.io')?.group).toBe('events.k8s.io');
  });

  it('finds nothing for unknown names or groups', () => {
    expect(lookupName(resources, 'widgets')).toBeUndefined();
    expect(lookupName(resources, 'pods.apps')).toBeUndefined();
  });
});
