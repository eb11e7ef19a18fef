import { isObject, type KubeObject } from '../types.js';

/** Reads a nested field by a dotted path (`spec.replicas`); undefined when any step is missing. */
export function field(obj: KubeObject, path: string): unknown {
  let value: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

export function intField(obj: KubeObject, path: string, fallback: number): number {
  const value = field(obj, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

export function stringField(obj: KubeObject, path: string, fallback: string): string {
  const value = field(obj, path);
  return typeof value === 'string' ? value : fallback;
}
