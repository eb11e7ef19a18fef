import { isValues } from '../templates/index.js';

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
  needs: string[];
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

/** Parses and checks stack.yaml; the problems are the maintainers' to fix, so they are plain Errors. */
export function parseStackDefinition(raw: unknown, file = 'stack.yaml'): StackDefinition {
  const problems: string[] = [];
  if (!isValues(raw) || raw.kind !== 'StackDefinition' || raw.apiVersion !== 'cncfdemo.io/v1alpha1') {
    throw new Error(`${file}: expected apiVersion cncfdemo.io/v1alpha1, kind StackDefinition`);
  }
  const list = Array.isArray(raw.components) ? (raw.components as unknown[]) : [];
  const components = list.map((item, i) => component(item, `${file}: components[${i}]`, problems));
  const names = new Set<string>();
  for (const c of components) {
    if (names.has(c.name)) problems.push(`${file}: component ${c.name} is defined twice`);
    names.add(c.name);
  }
  for (const c of components) {
    for (const need of c.needs)
      if (!names.has(need)) problems.push(`${file}: ${c.name} needs unknown component ${need}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { components };
}

const KEYS = new Set(['name', 'title', 'needs', 'templates', 'configMaps', 'secrets', 'when', 'wait']);

function component(item: unknown, where: string, problems: string[]): ComponentDefinition {
  if (!isValues(item)) {
    problems.push(`${where} must be a mapping`);
    return { name: '', title: '', needs: [], templates: [], configMaps: [], secrets: [], wait: true };
  }
  for (const key of Object.keys(item)) if (!KEYS.has(key)) problems.push(`${where}: unknown key ${key}`);
  const name = typeof item.name === 'string' ? item.name : '';
  if (!/^[a-z0-9-]+$/.test(name)) problems.push(`${where}: name must be lower-case letters, digits and "-"`);
  const strings = (value: unknown, key: string): string[] => {
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    problems.push(`${where}: ${key} must be a list of strings`);
    return [];
  };
  const configMaps = Array.isArray(item.configMaps) ? (item.configMaps as unknown[]) : [];
  const secrets = Array.isArray(item.secrets) ? (item.secrets as unknown[]) : [];
  return {
    name,
    title: typeof item.title === 'string' ? item.title : name,
    needs: strings(item.needs, 'needs'),
    templates: strings(item.templates, 'templates'),
    configMaps: configMaps.map((c) => configMapSource(c, `${where}.configMaps`, problems)),
    secrets: secrets.map((s) => generatedSecret(s, `${where}.secrets`, problems)),
    ...(typeof item.when === 'string' ? { when: item.when } : {}),
    wait: item.wait !== false,
  };
}

function namespaceRole(value: unknown, where: string, problems: string[]): NamespaceRole {
  if (value === 'stack' || value === 'monitoring') return value;
  problems.push(`${where}: namespace must be stack or monitoring`);
  return 'stack';
}

function configMapSource(item: unknown, where: string, problems: string[]): ConfigMapSource {
  if (!isValues(item) || typeof item.name !== 'string' || typeof item.from !== 'string') {
    problems.push(`${where}: each needs name, namespace and from`);
    return { name: '', namespace: 'stack', from: '' };
  }
  return { name: item.name, namespace: namespaceRole(item.namespace, where, problems), from: item.from };
}

function generatedSecret(item: unknown, where: string, problems: string[]): GeneratedSecret {
  if (!isValues(item) || typeof item.name !== 'string') {
    problems.push(`${where}: each needs name and namespace`);
    return { name: '', namespace: 'stack' };
  }
  const literals = isValues(item.literals) ? (item.literals as Record<string, string>) : undefined;
  const generate = Array.isArray(item.generate) ? item.generate.map(String) : undefined;
  return {
    name: item.name,
    namespace: namespaceRole(item.namespace, where, problems),
    ...(literals ? { literals } : {}),
    ...(generate ? { generate } : {}),
  };
}
