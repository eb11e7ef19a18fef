import { createHash } from 'node:crypto';
import { UserError } from '../errors/index.js';
import { CLUSTER_SCOPED_KINDS, WORKLOAD_KINDS } from '../kube/kinds.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { refOf } from '../kube/types.js';
import { renderTemplates, TemplateFailure } from '../templates/engine.js';
import { parseYamlDocuments } from '../templates/index.js';
import type { ComponentDefinition, GeneratedSecret, NamespaceRole, StackDefinition } from './definition.js';
import { waves } from './graph.js';
import { decorate, stackLabels } from './labels.js';
import { stackRecordObject } from './record.js';
import { mongoTopology } from './topology.js';
import type { StackValues } from './values.js';

/** A file of a config folder, as read from disk. */
export interface ConfigFile {
  name: string;
  content: Buffer;
}

/** Everything planning reads, loaded beforehand (see sources.ts), so that planning itself does no I/O. */
export interface StackSources {
  definition: StackDefinition;
  /** Templates and partials by path relative to the stack definition (`apps/mongo/_replicaset.yaml.j2`). */
  templates: ReadonlyMap<string, string>;
  /** The files of each config folder named by a component's `configMaps[].from`. */
  configFolders: ReadonlyMap<string, readonly ConfigFile[]>;
}

/** What the target cluster offers, when known (`render` plans without a cluster). */
export interface ClusterFacts {
  storageClasses: readonly string[];
  defaultStorageClass?: string;
}

export interface PlanInput {
  values: StackValues;
  facts?: ClusterFacts;
  /** BOINC's account key (from --boinc-key-env); goes into the Secret boinc-attach, never into output. */
  boincAccountKey?: string;
}

/** A Secret created once per cluster with random values (create-if-absent, never updated or printed). */
export interface SecretToGenerate {
  name: string;
  namespace: string;
  literals: Record<string, string>;
  generate: string[];
  labels: Record<string, string>;
}

export interface PlannedComponent {
  name: string;
  title: string;
  /** The components that must be Ready before it is applied (only those in the plan). */
  needs: string[];
  /**
   * The components applied right before it, together with it, whose readiness its pods wait for in the
   * cluster (only those in the plan).
   */
  after: string[];
  /** Its place in apply order: 0 for a component after nothing; else one more than its deepest need or after. */
  wave: number;
  objects: KubeObject[];
  /** Secrets generated before the objects are applied. */
  secrets: SecretToGenerate[];
  /** The workloads whose readiness makes the component Ready. */
  gates: ObjectRef[];
  /**
   * Objects created only when absent, before the apply, by another field manager: a Deployment scaled by
   * an autoscaler starts at the autoscaler's minimum while `replicas` stays out of the applied object, so
   * re-applying never fights the autoscaler.
   */
  seeds: KubeObject[];
}

export interface StackPlan {
  components: PlannedComponent[];
  waves: string[][];
  namespaces: { stack: string; monitoring: string; owned: string[] };
  storage: { persistent: boolean; className?: string };
  boinc: { enabled: boolean; attached: boolean; projectUrl: string };
  /** Components the values left out, with the values path of their `when`. */
  leftOut: { name: string; when: string }[];
  /** Things worth telling the user (e.g. MongoDB data is ephemeral because there is no StorageClass). */
  notes: string[];
}

/** What a component is applied after: both what it needs Ready and what it only needs applied. */
export function applyOrderNeeds(c: Pick<PlannedComponent, 'needs' | 'after'>): string[] {
  return [...new Set([...c.needs, ...c.after])];
}

/** Namespaces the stack uses but never creates or deletes. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export const BOINC_SECRET = 'boinc-attach';
/** The Secret's one file, mounted into BOINC's data directory under this name (boinc.yaml.j2). */
export const BOINC_ACCOUNT_FILE = 'account_cncfdemo.xml';
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/**
 * Plans the stack: which components, in which waves, with which objects. Pure: the same sources and input
 * give the same plan, and nothing is read or written.
 */
export function planStack(sources: StackSources, input: PlanInput): StackPlan {
  const { values } = input;
  const notes: string[] = [];
  const storage = resolveStorage(values, input.facts, notes);
  const ns = { stack: values.namespaces.stack, monitoring: values.namespaces.monitoring };
  const owned = [...new Set([ns.stack, ns.monitoring])].filter((n) => !SYSTEM_NAMESPACES.has(n));
  const included = sources.definition.components.filter(
    (c) => c.when === undefined || truthy(valueAt(values, c.when)),
  );
  const names = new Set(included.map((c) => c.name));
  const leftOut = sources.definition.components
    .filter((c) => !names.has(c.name))
    .map((c) => ({ name: c.name, when: c.when ?? '' }));
  const inPlan = (list: readonly string[]): string[] => list.filter((n) => names.has(n));
  const dependencies = new Map(
    included.map((c) => [c.name, { needs: inPlan(c.needs), after: inPlan(c.after) }]),
  );
  const order = waves([...dependencies].map(([name, d]) => ({ name, needs: applyOrderNeeds(d) })));
  const waveOf = new Map(order.flatMap((names, i) => names.map((n) => [n, i] as const)));

  const baseContext = {
    values,
    ns,
    owned_namespaces: owned,
    storage: { persistent: storage.persistent, className: storage.className ?? '' },
    mongo: mongoTopology(values),
  };
  const configMaps = new Map<string, KubeObject>();
  for (const c of included) {
    for (const source of c.configMaps) {
      configMaps.set(
        source.name,
        configMapFrom(source.name, namespaceOf(source.namespace, ns), sources, source.from, baseContext),
      );
    }
  }
  const checksums = Object.fromEntries(
    [...configMaps].map(([name, cm]) => [name, contentHash(cm.data, cm.binaryData)]),
  );
  const attached =
    values.boinc.enabled && input.boincAccountKey !== undefined && input.boincAccountKey !== '';
  const context = { ...baseContext, checksums, boinc: { attached } };
  const partials = [...sources.templates]
    .filter(([path]) => basename(path).startsWith('_'))
    .map(([name, source]) => ({ name, source }));

  const components = included.map((c): PlannedComponent => {
    const rendered = [
      ...c.configMaps.map((s) => configMaps.get(s.name)).filter((cm): cm is KubeObject => cm !== undefined),
      ...c.templates.flatMap((path) => renderObjects(path, sources, partials, context)),
      ...(c.name === 'boinc' && attached
        ? [boincSecret(ns.stack, values.boinc.projectUrl, input.boincAccountKey ?? '')]
        : []),
    ];
    // The first component (the foundation, which makes the namespaces) also keeps the stack's record.
    if (c === included[0]) rendered.push(stackRecordObject(ns.stack, { values, leftOut }));
    const objects = rendered.map((o) => withJobHash(decorate(o, c.name, values.placement)));
    return {
      name: c.name,
      title: c.title,
      ...(dependencies.get(c.name) ?? { needs: [], after: [] }),
      wave: waveOf.get(c.name) ?? 0,
      objects,
      secrets: c.secrets.map((s) => secretToGenerate(s, c, ns)),
      gates: c.wait ? objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).map(refOf) : [],
      seeds: autoscaledSeeds(objects),
    };
  });
  const position = new Map(order.flat().map((name, i) => [name, i]));
  components.sort((a, b) => (position.get(a.name) ?? 0) - (position.get(b.name) ?? 0));
  if (values.boinc.enabled && !attached) {
    notes.push('BOINC runs unattached (no account key): pass --boinc-key-env VAR to donate to a project');
  }
  return {
    components,
    waves: order,
    namespaces: { ...ns, owned },
    storage,
    boinc: { enabled: values.boinc.enabled, attached, projectUrl: values.boinc.projectUrl },
    leftOut,
    notes,
  };
}

/** Every object of the plan, in apply order. */
export function planObjects(plan: StackPlan): KubeObject[] {
  return plan.components.flatMap((c) => c.objects);
}

function resolveStorage(
  values: StackValues,
  facts: ClusterFacts | undefined,
  notes: string[],
): { persistent: boolean; className?: string } {
  const { persistent, className } = values.storage;
  const named = className !== '' ? { className } : {};
  if (facts && className !== '' && persistent !== false && !facts.storageClasses.includes(className)) {
    throw new UserError(
      `storage.className "${className}" is not a StorageClass of this cluster (it has: ${facts.storageClasses.join(', ') || 'none'})`,
      'pick one of them, or --set storage.persistent=false for data that lives as long as its pod',
    );
  }
  if (persistent === true) return { persistent: true, ...named };
  if (persistent === false) return { persistent: false };
  if (!facts) return { persistent: true, ...named };
  if (className !== '' || facts.defaultStorageClass !== undefined) return { persistent: true, ...named };
  notes.push('MongoDB data is ephemeral (emptyDir): the cluster has no default StorageClass');
  return { persistent: false };
}

function namespaceOf(role: NamespaceRole, ns: { stack: string; monitoring: string }): string {
  return role === 'stack' ? ns.stack : ns.monitoring;
}

function renderObjects(
  path: string,
  sources: StackSources,
  partials: readonly { name: string; source: string }[],
  context: object,
): KubeObject[] {
  const source = sources.templates.get(path);
  if (source === undefined) throw new Error(`template ${path} is not among the stack's sources`);
  const text = render(path, source, partials, context);
  return parseYamlDocuments(text, { file: path, rendered: true }).map((doc) => {
    const obj = doc.value as Partial<KubeObject> | null;
    if (!obj || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || !obj.metadata?.name) {
      throw new Error(
        `${path}: document ${doc.index} is not a Kubernetes object with apiVersion, kind and metadata.name`,
      );
    }
    if (!CLUSTER_SCOPED_KINDS.has(obj.kind) && !obj.metadata.namespace) {
      throw new Error(`${path}: ${obj.kind} ${obj.metadata.name} has no metadata.namespace`);
    }
    return obj as KubeObject;
  });
}

function render(
  path: string,
  source: string,
  partials: readonly { name: string; source: string }[],
  context: object,
): string {
  try {
    return renderTemplates({ name: path, source }, partials, context);
  } catch (err) {
    if (err instanceof TemplateFailure) {
      throw new Error(`${err.template}${err.line ? `:${err.line}` : ''}: ${err.reason}`);
    }
    throw err;
  }
}

function configMapFrom(
  name: string,
  namespace: string,
  sources: StackSources,
  folder: string,
  context: object,
): KubeObject {
  const files = sources.configFolders.get(folder);
  if (!files) throw new Error(`config folder ${folder} is not among the stack's sources`);
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const text = file.content.toString('utf8');
    if (file.name.endsWith('.j2')) {
      // Jinja drops the final newline; config files keep theirs
      const rendered = render(`${folder}/${file.name}`, text, [], context);
      data[file.name.slice(0, -3)] =
        text.endsWith('\n') && !rendered.endsWith('\n') ? `${rendered}\n` : rendered;
    } else if (Buffer.from(text, 'utf8').equals(file.content)) {
      data[file.name] = text;
    } else {
      binaryData[file.name] = file.content.toString('base64');
    }
  }
  const size =
    Object.entries(data).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0) +
    Object.entries(binaryData).reduce((n, [k, v]) => n + k.length + (v.length * 3) / 4, 0);
  if (size > MAX_CONFIGMAP_BYTES)
    throw new Error(`ConfigMap ${name} from ${folder} is ${size} bytes, over the 1 MiB limit`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

function secretToGenerate(
  secret: GeneratedSecret,
  component: ComponentDefinition,
  ns: { stack: string; monitoring: string },
): SecretToGenerate {
  return {
    name: secret.name,
    namespace: namespaceOf(secret.namespace, ns),
    literals: secret.literals ?? {},
    generate: secret.generate ?? [],
    labels: stackLabels(component.name),
  };
}

function boincSecret(namespace: string, projectUrl: string, accountKey: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BOINC_SECRET, namespace, annotations: { 'cncfdemo.io/boinc-project': projectUrl } },
    type: 'Opaque',
    stringData: { [BOINC_ACCOUNT_FILE]: boincAccountFile(projectUrl, accountKey) },
  };
}

/**
 * A BOINC account file: the client reads every `account_*.xml` of its data directory when it starts and
 * is attached to the project each names. The key reaches it as a file of a Secret volume, never on a
 * command line, which every user of the node can read (/proc/<pid>/cmdline, ps).
 */
export function boincAccountFile(projectUrl: string, accountKey: string): string {
  const xml = (text: string): string =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    '<account>\n' +
    `    <master_url>${xml(projectUrl)}</master_url>\n` +
    `    <authenticator>${xml(accountKey)}</authenticator>\n` +
    '</account>\n'
  );
}

function autoscaledSeeds(objects: readonly KubeObject[]): KubeObject[] {
  return objects.flatMap((hpa) => {
    if (hpa.kind !== 'HorizontalPodAutoscaler') return [];
    const spec = hpa.spec as
      { minReplicas?: number; scaleTargetRef?: { kind?: string; name?: string } } | undefined;
    const target = objects.find(
      (o) =>
        o.kind === spec?.scaleTargetRef?.kind &&
        o.metadata.name === spec.scaleTargetRef.name &&
        o.metadata.namespace === hpa.metadata.namespace,
    );
    if (!target || (target.spec as { replicas?: number } | undefined)?.replicas !== undefined) return [];
    return [{ ...target, spec: { ...(target.spec as object), replicas: spec?.minReplicas ?? 1 } }];
  });
}

/**
 * Jobs cannot be changed once created, so each Job's name ends with a hash of its content: the same Job
 * is left alone on every run, and a changed one is a new Job (its scripts are idempotent).
 */
function withJobHash(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Job') return obj;
  const hash = createHash('sha256').update(JSON.stringify(obj)).digest('hex').slice(0, 6);
  return { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.name ?? ''}-${hash}` } };
}

export function contentHash(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0;
}

function valueAt(values: object, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
