import { readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { packageRoot } from '../../../config/paths.js';
import { UserError } from '../../../errors/index.js';
import { loadValidator, type SchemaSpec } from '../../../schema/ajv.js';
import type { NodeRole } from '../../node/render.js';

/** One machine of a bare-metal cluster. */
export interface MetalHost {
  name: string;
  role: NodeRole;
  address: string;
  mac?: string;
}

/** `kind: MetalInventory`: the machines of a bare-metal cluster and the name its masters answer on. */
export interface MetalInventory {
  apiVersion: 'cncfdemo.io/v1alpha1';
  kind: 'MetalInventory';
  cluster: string;
  /** A DNS name or address every master answers on (a VIP, `masters.<cluster>.k8s`). */
  endpoint: string;
  /** A static address for each host with a `mac` (its NoCloud network-config); DHCP's otherwise. */
  network?: MetalNetwork;
  hosts: MetalHost[];
}

export interface MetalNetwork {
  prefixLength: number;
  gateway?: string;
  nameservers?: string[];
}

export const INVENTORY_SCHEMA: SchemaSpec = {
  name: 'metal-inventory',
  schemaFile: join(packageRoot, 'schemas', 'metal-inventory.schema.json'),
  options: { allErrors: true, strict: true, allowUnionTypes: true },
  standardFormats: true,
};

const HINT = 'see the inventory example in README.md (Bare metal)';

/** Reads and validates an inventory file; every problem at once, as one line naming the file. */
export async function readInventory(file: string): Promise<MetalInventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `${file}: cannot read the inventory (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      'pass an existing file to --inventory',
    );
  }
  return parseInventory(text, file);
}

/** Parses and validates an inventory's text (pure); `file` names it in errors. */
export function parseInventory(
  text: string,
  file: string,
  validate = loadValidator(INVENTORY_SCHEMA),
): MetalInventory {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UserError(`${file}: not YAML: ${firstLine(err)}`, HINT);
  }
  const problems = validate(doc) ? crossProblems(doc as MetalInventory) : schemaProblems(validate, doc);
  if (problems.length > 0) throw new UserError(`${file}: ${problems.join('; ')}`, HINT);
  return doc as MetalInventory;
}

const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** What the schema cannot say: names and addresses are unique, there is a master and a minion. */
function crossProblems(inventory: MetalInventory): string[] {
  const problems: string[] = [];
  const seen = (key: (h: MetalHost) => string, what: string): void => {
    const first = new Map<string, number>();
    inventory.hosts.forEach((h, i) => {
      const k = key(h);
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else problems.push(`hosts[${String(i)}]: duplicate ${what} "${k}" (also hosts[${String(j)}])`);
    });
  };
  seen((h) => h.name, 'name');
  seen((h) => (isIPv6(h.address) ? h.address.toLowerCase() : h.address), 'address');
  if (!inventory.hosts.some((h) => h.role === 'master'))
    problems.push('no host has role master: a cluster needs one');
  if (!inventory.hosts.some((h) => h.role === 'minion')) {
    problems.push('no host has role minion: the masters are tainted, workloads need one');
  }
  return problems;
}

function schemaProblems(validate: ValidateFunction, doc: unknown): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return ['not a mapping (kind: MetalInventory)'];
  // A format error is one branch of an address's anyOf; the anyOf error says it once.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'format');
  return [...new Set(errors.map((e) => describe(e, doc)))];
}

function describe(e: ErrorObject, doc: unknown): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
  const at = path === '' ? '' : `${path}: `;
  const value = JSON.stringify(valueAt(doc, e.instancePath));
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at}unknown key "${String(params.additionalProperty)}"`;
    case 'required':
      return `${at}missing "${String(params.missingProperty)}"`;
    case 'const':
      return `${at}must be ${String(params.allowedValue)} (got ${value})`;
    case 'enum':
      return `${at}must be one of ${(params.allowedValues as unknown[]).join(', ')} (got ${value})`;
    case 'pattern':
      return path.endsWith('mac')
        ? `${at}${value} is not a MAC address (aa:bb:cc:dd:ee:ff)`
        : `${at}${value} is not a DNS label (a-z, 0-9, '-', at most 63)`;
    case 'anyOf':
      return path === 'endpoint'
        ? `${at}${value} is not a DNS name or an IPv4/IPv6 address`
        : `${at}${value} is not an IPv4 or IPv6 address`;
    case 'minItems':
      return `${at}lists no host`;
    default:
      return `${at}${e.message ?? 'invalid'}`;
  }
}

function valueAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const key of pointer.split('/').slice(1)) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}
