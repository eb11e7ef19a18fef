import { UserError } from '../errors/index.js';
import { apiGroup, isObject, type KubeObject } from './types.js';

/** Cluster-wide prerequisites: everything else may live in or depend on them. */
const FIRST = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'RuntimeClass',
]);
/** Identity, permissions and quotas: must exist before Pods are admitted. */
const SECOND = new Set([
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
]);

export interface ApplyPlan {
  /** Namespaces, CRDs, PriorityClasses, ... */
  prerequisites: KubeObject[];
  /** ServiceAccounts, RBAC, quotas. */
  access: KubeObject[];
  /** Everything else, including instances of CRDs from `prerequisites`. */
  rest: KubeObject[];
  /** CRDs to wait for (Established) before `rest`. */
  crds: KubeObject[];
}

/** Orders objects into waves; within a wave objects are independent and go out concurrently. */
export function planApply(objects: readonly KubeObject[]): ApplyPlan {
  const plan: ApplyPlan = { prerequisites: [], access: [], rest: [], crds: [] };
  for (const obj of objects) {
    if (FIRST.has(obj.kind) && isBuiltIn(obj)) plan.prerequisites.push(obj);
    else if (SECOND.has(obj.kind) && isBuiltIn(obj)) plan.access.push(obj);
    else plan.rest.push(obj);
    if (obj.kind === 'CustomResourceDefinition' && apiGroup(obj.apiVersion) === 'apiextensions.k8s.io')
      plan.crds.push(obj);
  }
  return plan;
}

function isBuiltIn(obj: KubeObject): boolean {
  const group = apiGroup(obj.apiVersion);
  return group === '' || group.endsWith('.k8s.io') || !group.includes('.');
}

/** Whether `obj` is an instance of one of the CRDs (so its kind can only be resolved after they are served). */
export function definedBy(obj: KubeObject, crds: readonly KubeObject[]): boolean {
  const group = apiGroup(obj.apiVersion);
  return crds.some((crd) => {
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    return spec.group === group && names.kind === obj.kind;
  });
}

/** Checks what the server would reject anyway, before anything is sent: kind, apiVersion, name. */
export function validateShape(obj: KubeObject, where: string, allowGenerateName: boolean): void {
  if (!isObject(obj) || typeof obj.apiVersion !== 'string' || !obj.apiVersion) {
    throw new UserError(
      `${where}: apiVersion is missing`,
      'every object needs apiVersion, kind and metadata.name',
    );
  }
  if (typeof obj.kind !== 'string' || !obj.kind) {
    throw new UserError(`${where}: kind is missing`, 'every object needs apiVersion, kind and metadata.name');
  }
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const hasName = typeof metadata.name === 'string' && metadata.name !== '';
  const hasGenerateName = typeof metadata.generateName === 'string' && metadata.generateName !== '';
  if (!hasName && !(allowGenerateName && hasGenerateName)) {
    throw new UserError(
      `${where}: ${obj.kind} has no metadata.name`,
      allowGenerateName
        ? 'set metadata.name or metadata.generateName'
        : 'set metadata.name (apply needs a name; generateName works only with create)',
    );
  }
}
