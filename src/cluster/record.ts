import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/files.js';
import { UserError } from '../errors/index.js';
import type { MachineGroup } from '../model/run-record.js';

/**
 * The cluster record, `<home>/clusters/<name>/cluster.json`: which provider owns the cluster and what that
 * provider needs to find its resources again (a region, an endpoint). Every cluster command reads it, so
 * list/delete/start/stop/kubeconfig work across providers without a --provider flag.
 */
export interface ClusterRecord {
  apiVersion: 'cncfdemo.io/v1alpha1';
  kind: 'Cluster';
  name: string;
  provider: string;
  createdAt: string;
  /** Provider-owned: what it needs to find the cluster's resources again. */
  state: Record<string, unknown>;
  /** Where the machines run (aws: the region), for providers that make machines. */
  region?: string;
  /** The machines the provider made, by role: what a benchmark on the cluster prices its run from. */
  machines?: MachineGroup[];
}

const RECORD_FILE = 'cluster.json';
/** Clusters made before the record existed are local ones (kwokctl's directory layout). */
const LEGACY_PROVIDER = 'local';

export const clusterHome = (home: string, name: string): string => join(home, 'clusters', name);

export function newRecord(
  name: string,
  provider: string,
  state: Record<string, unknown> = {},
): ClusterRecord {
  return {
    apiVersion: 'cncfdemo.io/v1alpha1',
    kind: 'Cluster',
    name,
    provider,
    createdAt: new Date().toISOString(),
    state,
  };
}

/** The cluster's record; undefined when no cluster of that name exists in this home. */
export async function readRecord(home: string, name: string): Promise<ClusterRecord | undefined> {
  const dir = clusterHome(home, name);
  let text: string;
  try {
    text = await readFile(join(dir, RECORD_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const exists = await readdir(dir).then(
      () => true,
      () => false,
    );
    return exists ? { ...newRecord(name, LEGACY_PROVIDER), createdAt: '' } : undefined;
  }
  const record = JSON.parse(text) as Partial<ClusterRecord>;
  if (record.kind !== 'Cluster' || typeof record.provider !== 'string') {
    throw new UserError(
      `${join(dir, RECORD_FILE)} is not a cluster record`,
      'restore it, or remove the cluster directory if the cluster is gone',
    );
  }
  return { ...newRecord(name, record.provider), ...record, name };
}

export const noSuchCluster = (name: string): UserError =>
  new UserError(`cluster "${name}" does not exist`, "list clusters with 'cncfdemo cluster list'");

/** The record of a cluster that must exist. */
export async function requireRecord(home: string, name: string): Promise<ClusterRecord> {
  const record = await readRecord(home, name);
  if (!record) throw noSuchCluster(name);
  return record;
}

/** Writes the record atomically (a crash leaves the old one or the new one, never half of one). */
export async function writeRecord(home: string, record: ClusterRecord): Promise<void> {
  await writeFileAtomic(
    join(clusterHome(home, record.name), RECORD_FILE),
    JSON.stringify(record, null, 2) + '\n',
  );
}

/** Every cluster in this home, by name. */
export async function listRecords(home: string): Promise<ClusterRecord[]> {
  let names: string[];
  try {
    names = (await readdir(join(home, 'clusters'), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records = await Promise.all(names.map((name) => readRecord(home, name)));
  return records.filter((r): r is ClusterRecord => r !== undefined);
}

/** The names of one provider's clusters in this home. */
export async function clusterNames(home: string, provider: string): Promise<string[]> {
  return (await listRecords(home)).filter((r) => r.provider === provider).map((r) => r.name);
}
