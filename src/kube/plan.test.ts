import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { definedBy, planApply, validateShape } from './plan.js';
import type { KubeObject } from './types.js';

const o = (
  apiVersion: string,
  kind: string,
  name = kind.toLowerCase(),
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
  ...extra,
});

describe('planApply', () => {
  const crd = o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' } },
  });
  const objects = [
    o('apps/v1', 'Deployment'),
    o('example.com/v1', 'Widget'),
    o('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
    o('v1', 'ServiceAccount'),
    crd,
    o('v1', 'Namespace'),
    o('scheduling.k8s.io/v1', 'PriorityClass'),
    o('v1', 'ConfigMap'),
  ];

  it('puts namespaces, CRDs and priority classes first, then accounts and RBAC, then the rest', () => {
    const plan = planApply(objects);
    expect(plan.prerequisites.map((x) => x.kind)).toEqual([
      'CustomResourceDefinition',
      'Namespace',
      'PriorityClass',
    ]);
    expect(plan.access.map((x) => x.kind)).toEqual(['ClusterRoleBinding', 'ServiceAccount']);
    expect(plan.rest.map((x) => x.kind)).toEqual(['Deployment', 'Widget', 'ConfigMap']);
    expect(plan.crds).toEqual([crd]);
  });

  it('keeps a custom kind that merely shares a built-in name out of the early waves', () => {
    expect(planApply([o('example.com/v1', 'Namespace')]).rest).toHaveLength(1);
  });

  it('knows which objects are instances of CRDs in the same input', () => {
    expect(definedBy(o('example.com/v1', 'Widget'), [crd])).toBe(true);
    expect(definedBy(o('other.com/v1', 'Widget'), [crd])).toBe(false);
  });
});

describe('validateShape', () => {
  it('requires apiVersion, kind and a name', () => {
    expect(() => {
      validateShape(
        { kind: 'ConfigMap', metadata: { name: 'a' } } as unknown as KubeObject,
        'a.yaml:1',
        false,
      );
    }).toThrow(/a.yaml:1: apiVersion is missing/);
    expect(() => {
      validateShape({ apiVersion: 'v1', metadata: { name: 'a' } } as unknown as KubeObject, 'x', false);
    }).toThrow(UserError);
    expect(() => {
      validateShape(o('v1', 'ConfigMap', ''), 'x', false);
    }).toThrow(/no metadata.name/);
  });

  it('accepts generateName only for create', () => {
    const generated: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'p-' } };
    expect(() => {
      validateShape(generated, 'x', true);
    }).not.toThrow();
    const err = (() => {
      try {
        validateShape(generated, 'x', false);
        return undefined;
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(err?.hint).toContain('generateName works only with create');
  });
});
