import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { packageRoot } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import {
  isValues,
  mergeValues,
  parseSetExpression,
  readValuesFile,
  type Values,
} from '../templates/index.js';
import { FORMATS } from './formats.js';
import { loadValidator, type SchemaSpec } from '../schema/ajv.js';

export interface Resources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** The stack's values after defaults: the shape of manifests/values.yaml (schemas/stack-values.schema.json). */
export interface StackValues {
  namespaces: { stack: string; monitoring: string };
  domain: string;
  ingressClassName: string;
  storage: { persistent: 'auto' | boolean; className: string };
  placement: { nodeSelector: Record<string, string>; tolerations: Toleration[] };
  monitoring: {
    prometheus: { image: string; retention: string; scrapeInterval: string; resources: Resources };
    pushgateway: { image: string; resources: Resources };
    nodeExporter: { image: string; hostNetwork: boolean; resources: Resources };
    kubeStateMetrics: { image: string; resources: Resources };
    grafana: { enabled: boolean; image: string; serviceType: ServiceType; resources: Resources };
  };
  mongo: {
    enabled: boolean;
    image: string;
    exporterImage: string;
    configServers: number;
    shards: number;
    shardMembers: number;
    mongosReplicas: number;
    storageSize: string;
    resources: Resources;
    mongosResources: Resources;
    exporterResources: Resources;
    jobResources: Resources;
  };
  countly: {
    apiServer: 'countly' | 'ingest';
    apiImage: string;
    dashboardImage: string;
    replicas: number;
    autoscaling: { enabled: boolean; minReplicas: number; maxReplicas: number; targetCPUUtilization: number };
    dashboardEnabled: boolean;
    dashboardReplicas: number;
    serviceType: ServiceType;
    apiResources: Resources;
    dashboardResources: Resources;
  };
  boinc: { enabled: boolean; image: string; replicas: number; projectUrl: string; resources: Resources };
  loadgen: { wrkImage: string; k6Image: string };
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** Where the user's values come from, in the order they apply: files, then --set, then dedicated flags. */
export interface ValuesInput {
  valuesFiles?: readonly string[];
  set?: readonly string[];
  /** Dedicated flags (`--domain`, `--boinc-url`), as values paths: applied last. */
  overrides?: Values;
  cwd?: string;
}

export const DEFAULT_VALUES_FILE = join(packageRoot, 'manifests', 'values.yaml');
export const VALUES_SCHEMA_FILE = join(packageRoot, 'schemas', 'stack-values.schema.json');

/** The values schema as compiled at run time and precompiled by `npm run build`. */
export const VALUES_SCHEMA: SchemaSpec = {
  name: 'stack-values',
  schemaFile: VALUES_SCHEMA_FILE,
  options: { allErrors: true, strict: true, allowUnionTypes: true },
  formats: FORMATS,
};

/** The stack's default values and the validator of the JSON Schema that every values tree must satisfy. */
export interface ValuesSources {
  defaults: Values;
  validate: ValidateFunction;
}

export async function readValuesSources(): Promise<ValuesSources> {
  const defaults = parse(await readFile(DEFAULT_VALUES_FILE, 'utf8')) as Values;
  return { defaults, validate: loadValidator(VALUES_SCHEMA) };
}

/** Reads the user's values files and --set expressions (I/O), ready for `resolveValues`. */
export async function readUserValues(input: ValuesInput): Promise<Values[]> {
  const layers: Values[] = [];
  for (const file of input.valuesFiles ?? []) layers.push(await readValuesFile(file, input.cwd));
  const sets: Values = {};
  for (const expression of input.set ?? []) parseSetExpression(expression, sets);
  layers.push(sets);
  if (input.overrides) layers.push(input.overrides);
  return layers;
}

/**
 * Merges the user's layers over the defaults and validates the result against the schema, collecting every
 * problem into one UserError (one line). `null` resets a key to its default. Pure: no I/O.
 */
export function resolveValues(sources: ValuesSources, layers: readonly Values[]): StackValues {
  const user = withoutNulls(layers.reduce<Values>((merged, layer) => mergeValues(merged, layer), {}));
  const merged = mergeValues(sources.defaults, user);
  const problems = [...schemaProblems(sources.validate, merged), ...crossFieldProblems(merged)];
  if (problems.length > 0) {
    throw new UserError(
      `invalid stack values: ${problems.join('; ')}`,
      'fix the --set/--values input; the keys and defaults are in manifests/values.yaml',
    );
  }
  return merged as unknown as StackValues;
}

function withoutNulls(values: Values): Values {
  const result: Values = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null) continue;
    result[key] = isValues(value) ? withoutNulls(value) : value;
  }
  return result;
}

function schemaProblems(validate: ValidateFunction, values: Values): string[] {
  if (validate(values)) return [];
  return simplify(validate.errors ?? []).map((e) => describe(e, values));
}

/** Drops the noise ajv adds around one mistake (the failing `if` branches and schema wrappers). */
function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'if' || e.keyword === '$ref') return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject, values: Values): string {
  const path = dotted(error.instancePath);
  const got = (): string => JSON.stringify(valueAt(values, error.instancePath));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return `unknown key ${path ? `${path}.` : ''}${key}`;
    }
    case 'propertyNames':
      return `${path}: unknown key ${JSON.stringify(params.propertyName)}`;
    case 'minimum':
    case 'maximum':
      return `${path} must be ${error.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)} (got ${got()})`;
    case 'type':
      return `${path} must be ${String(params.type).replace(',', ' or ')} (got ${got()})`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${got()})`;
    case 'const':
      return `${path} must be ${JSON.stringify(params.allowedValue)} (got ${got()})`;
    case 'format':
      return `${path} ${FORMAT_WORDS[String(params.format)] ?? `is not a valid ${String(params.format)}`} (got ${got()})`;
    default:
      return `${path || 'values'} ${error.message ?? 'is invalid'}`;
  }
}

const FORMAT_WORDS: Record<string, string> = {
  'image-reference': 'is not an image reference like mongo:8.0 or registry.example.com/app:1.2',
  'image-reference-or-empty': 'is not an image reference like grafana/k6:1.8.1 (or empty)',
  quantity: 'is not a quantity like 250m, 2 or 512Mi',
  'prometheus-duration': 'is not a duration like 15s, 2d or 1h30m',
  'dns-label': 'is not a DNS label (lower-case letters, digits and "-", at most 63)',
  'dns-domain-or-empty': 'is not a DNS domain like demo.example.com',
  'dns-subdomain-or-empty': 'is not a DNS subdomain name',
  'http-url': 'is not an http(s) URL',
};

/** Rules a JSON Schema cannot say. */
function crossFieldProblems(values: Values): string[] {
  const problems: string[] = [];
  const autoscaling = valueAt(values, '/countly/autoscaling');
  if (
    isValues(autoscaling) &&
    typeof autoscaling.minReplicas === 'number' &&
    typeof autoscaling.maxReplicas === 'number'
  ) {
    if (autoscaling.minReplicas > autoscaling.maxReplicas) {
      problems.push(
        `countly.autoscaling.minReplicas (${autoscaling.minReplicas}) must not exceed maxReplicas (${autoscaling.maxReplicas})`,
      );
    }
  }
  // Countly's own API server and its dashboard keep their data in MongoDB; the ingest server needs none.
  if (valueAt(values, '/mongo/enabled') === false) {
    if (valueAt(values, '/countly/apiServer') === 'countly') {
      problems.push(
        'countly.apiServer countly needs MongoDB (mongo.enabled is false): set countly.apiServer ingest',
      );
    }
    if (valueAt(values, '/countly/dashboardEnabled') === true) {
      problems.push('countly.dashboardEnabled needs MongoDB (mongo.enabled is false): set it to false');
    }
  }
  const namespaces = valueAt(values, '/namespaces');
  if (isValues(namespaces) && namespaces.stack === namespaces.monitoring) {
    problems.push('namespaces.stack and namespaces.monitoring must differ');
  }
  return problems;
}

function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
}

function valueAt(values: unknown, pointer: string): unknown {
  let current = values;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isValues(current)) current = current[key];
    else return undefined;
  }
  return current;
}
