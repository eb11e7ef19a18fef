import { UserError } from '../errors/index.js';
import type { KubeObject } from '../kube/index.js';

const SHAPE_HINT = 'every object needs apiVersion and kind, e.g. "apiVersion: v1" and "kind: ConfigMap"';

/**
 * Checks that a parsed document is a Kubernetes object (or a `kind: List` of them, flattened like kubectl)
 * and returns the objects; `where` describes the document (or one list item) for errors.
 */
export function toObjects(
  value: unknown,
  where: (item?: number) => string,
): { object: KubeObject; item?: number }[] {
  const kind = isMapping(value) ? value.kind : undefined;
  if (isMapping(value) && typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    return (value.items as unknown[]).map((item, i) => ({ object: toObject(item, where(i)), item: i }));
  }
  return [{ object: toObject(value, where()) }];
}

function toObject(value: unknown, where: string): KubeObject {
  if (!isMapping(value)) {
    throw new UserError(
      `${where}: expected a Kubernetes object (a mapping), found ${describe(value)}`,
      SHAPE_HINT,
    );
  }
  const { apiVersion, kind, metadata = {} } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    throw new UserError(
      `${where}: apiVersion is missing${typeof kind === 'string' ? ` in ${kind}` : ''}`,
      SHAPE_HINT,
    );
  }
  if (typeof kind !== 'string' || kind === '') throw new UserError(`${where}: kind is missing`, SHAPE_HINT);
  if (!isMapping(metadata)) {
    throw new UserError(
      `${where}: metadata must be a mapping, found ${describe(metadata)}`,
      'write metadata as "name: ..." lines',
    );
  }
  return { ...value, apiVersion, kind, metadata };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'string' ? `the text ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}
