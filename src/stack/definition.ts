import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { checkDocument, dataSchema } from '../schema/document.js';

/** Which values namespace an object lives in: `namespaces.stack` or `namespaces.monitoring`. */
export type NamespaceRole = 'stack' | 'monitoring';

export interface ConfigMapSource {
  name: string;
  namespace: NamespaceRole;
  /** Folder whose files become the ConfigMap's keys, relative to the stack definition. */
  from: string;
}

export interface GeneratedSecret {
  name: string;
  namespace: NamespaceRole;
  /** Keys with fixed values. */
  literals?: Record<string, string>;
  /** Keys that get a random value, once per cluster. */
  generate?: string[];
}

export interface ComponentDefinition {
  name: string;
  title: string;
  /** Components that must be Ready before this one is applied. */
  needs: string[];
  /**
   * Components applied right before this one, together with it, but not waited for: its pods wait for them
   * inside the cluster (init containers, driver timeouts), so a chain of them starts at once instead of one
   * rollout after another.
   */
  after: string[];
  templates: string[];
  configMaps: ConfigMapSource[];
  secrets: GeneratedSecret[];
  /** A values path: the component is part of the stack only when the value is set (not false/empty). */
  when?: string;
  /** False for background work: Ready once applied, its pods run whenever there is room. Default true. */
  wait: boolean;
}

/** manifests/stack.yaml: the demo stack as a graph of components. */
export interface StackDefinition {
  components: ComponentDefinition[];
}

/** stack.yaml as written: optional fields left out (schemas/stack-definition.schema.json). */
interface StackDocument {
  components: (Pick<ComponentDefinition, 'name'> & Partial<Omit<ComponentDefinition, 'name'>>)[];
}

export const STACK_DEFINITION_SCHEMA = dataSchema<StackDocument>(
  'stack-definition',
  join(packageRoot, 'schemas', 'stack-definition.schema.json'),
);

/**
 * Checks stack.yaml against its schema, then what a schema cannot say (names unique, needs defined), and
 * fills in the defaults. The problems are the maintainers' to fix; all of them are on one line.
 */
export function parseStackDefinition(raw: unknown, file = 'stack.yaml'): StackDefinition {
  const doc = checkDocument(raw, file, 'StackDefinition', STACK_DEFINITION_SCHEMA);
  const components: ComponentDefinition[] = doc.components.map((c) => ({
    ...c,
    title: c.title ?? c.name,
    needs: c.needs ?? [],
    after: c.after ?? [],
    templates: c.templates ?? [],
    configMaps: c.configMaps ?? [],
    secrets: c.secrets ?? [],
    wait: c.wait !== false,
  }));
  const problems: string[] = [];
  const names = new Set<string>();
  for (const c of components) {
    if (names.has(c.name)) problems.push(`component ${c.name} is defined twice`);
    names.add(c.name);
  }
  for (const c of components) {
    for (const need of c.needs)
      if (!names.has(need)) problems.push(`${c.name} needs unknown component ${need}`);
    for (const first of c.after)
      if (!names.has(first)) problems.push(`${c.name} comes after unknown component ${first}`);
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return { components };
}
