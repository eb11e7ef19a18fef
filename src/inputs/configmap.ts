import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage, UserError } from '../errors/index.js';
import type { KubeObject } from '../kube/index.js';
import {
  checkConfigMapName,
  configMapKeyProblems,
  keyForFile,
  keyForPath,
  parseFileSource,
  parseLiteralSource,
} from './configmap-sources.js';
import { formatBytes, readBounded } from './read-limited.js';

/** The API server's limit on a ConfigMap's data plus binaryData (bytes of the values). */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

export interface ConfigMapOptions {
  /** `--from-file`: PATH or KEY=PATH; a directory gives one key per regular file. */
  fromFile?: readonly string[];
  /** `--from-literal`: KEY=VALUE. */
  fromLiteral?: readonly string[];
  /** Walk subdirectories of --from-file directories; keys join the path parts with '_' (sub/a.conf -> sub_a.conf). */
  recursive?: boolean;
  namespace?: string;
  /** Base for relative paths (default: the process's working directory). */
  cwd?: string;
}

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
  /** base64, for files that are not valid UTF-8. */
  binaryData?: Record<string, string>;
}

interface Entry {
  key: string;
  /** Where it came from, for messages: a path or `--from-literal`. */
  origin: string;
  value: string | Buffer;
}

/**
 * Builds a ConfigMap like `kubectl create configmap NAME --from-file --from-literal`: UTF-8 files go to
 * data, others to binaryData; invalid or duplicate keys and more than 1 MiB of data are rejected here.
 */
export async function configMapFromFiles(
  name: string,
  options: ConfigMapOptions = {},
): Promise<ConfigMapObject> {
  checkConfigMapName(name);
  const entries = new Map<string, Entry>();
  const add = (entry: Entry): void => {
    addEntry(entries, entry, name);
  };
  const cwd = options.cwd ?? process.cwd();
  for (const source of options.fromFile ?? []) {
    for (const entry of await fileSourceEntries(source, cwd, options.recursive === true)) add(entry);
  }
  for (const source of options.fromLiteral ?? []) {
    const { key, value } = parseLiteralSource(source);
    add({ key, origin: `--from-literal=${key}`, value });
  }
  checkSize(name, [...entries.values()]);
  return toConfigMap(name, options.namespace, [...entries.values()]);
}

/** Bytes the API server counts against the 1 MiB limit: every data and binaryData value. */
export function configMapDataSize(configMap: Pick<ConfigMapObject, 'data' | 'binaryData'>): number {
  const text = Object.values(configMap.data ?? {}).reduce((n, v) => n + Buffer.byteLength(v, 'utf8'), 0);
  const binary = Object.values(configMap.binaryData ?? {}).reduce(
    (n, v) => n + Buffer.from(v, 'base64').length,
    0,
  );
  return text + binary;
}

async function fileSourceEntries(source: string, cwd: string, recursive: boolean): Promise<Entry[]> {
  const { key, path } = parseFileSource(source);
  const full = resolve(cwd, path);
  const info = await stat(full).catch((err: unknown) => {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : errorMessage(err);
    throw new UserError(`error reading ${path}: ${reason}`, 'check the path given to --from-file');
  });
  if (!info.isDirectory())
    return [{ key: key ?? keyForFile(path), origin: path, value: await readValue(full, path) }];
  if (key !== undefined) {
    throw new UserError(
      `--from-file=${source}: cannot give a key name for a directory path`,
      'write --from-file=DIR',
    );
  }
  const entries: Entry[] = [];
  await collectDirectory(full, path, [], recursive, entries);
  return entries;
}

/** Regular files only, like kubectl (symlinks and special files are skipped); subdirectories with `recursive`. */
async function collectDirectory(
  dir: string,
  shown: string,
  parts: readonly string[],
  recursive: boolean,
  out: Entry[],
): Promise<void> {
  const items = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const item of items) {
    const path = join(dir, item.name);
    const origin = join(shown, item.name);
    if (item.isFile())
      out.push({ key: keyForPath([...parts, item.name]), origin, value: await readValue(path, origin) });
    else if (item.isDirectory() && recursive)
      await collectDirectory(path, origin, [...parts, item.name], true, out);
  }
}

/** One file's bytes, read no further than the ConfigMap limit: /dev/zero fails at 1 MiB, not when memory runs out. */
async function readValue(path: string, shown: string): Promise<string | Buffer> {
  const bytes = await readBounded(
    path,
    shown,
    CONFIGMAP_MAX_BYTES,
    (limit) =>
      new UserError(
        `${shown} is larger than the ${formatBytes(limit)} limit of a ConfigMap (${limit} bytes)`,
        'ship large files another way (a volume or the image)',
      ),
    (err) => new UserError(`error reading ${shown}: ${errorMessage(err)}`, 'check the file permissions'),
  );
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

function addEntry(entries: Map<string, Entry>, entry: Entry, name: string): void {
  const problems = configMapKeyProblems(entry.key);
  if (problems.length > 0) {
    throw new UserError(
      `"${entry.key}" (from ${entry.origin}) is not a valid key name for a ConfigMap: ${problems.join(', ')}`,
      'rename the file, or give the key explicitly with --from-file=KEY=PATH',
    );
  }
  const existing = entries.get(entry.key);
  if (existing) {
    throw new UserError(
      `cannot add key "${entry.key}" from ${entry.origin}: ${existing.origin} already gave that key in ConfigMap "${name}"`,
      'give one of them another key with --from-file=KEY=PATH, or rename a file',
    );
  }
  entries.set(entry.key, entry);
}

function checkSize(name: string, entries: readonly Entry[]): void {
  const sized = entries.map((e) => ({ ...e, bytes: byteSize(e.value) }));
  const total = sized.reduce((n, e) => n + e.bytes, 0);
  if (total <= CONFIGMAP_MAX_BYTES) return;
  const largest = [...sized].sort((a, b) => b.bytes - a.bytes).slice(0, 3);
  throw new UserError(
    `ConfigMap "${name}" would hold ${formatBytes(total)} (${total} bytes), over the 1 MiB limit (${CONFIGMAP_MAX_BYTES} bytes); ` +
      `largest: ${largest.map((e) => `${e.origin} (${formatBytes(e.bytes)})`).join(', ')}`,
    'split the files across several ConfigMaps, or ship large files another way (a volume or the image)',
  );
}

function byteSize(value: string | Buffer): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

function toConfigMap(
  name: string,
  namespace: string | undefined,
  entries: readonly Entry[],
): ConfigMapObject {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const data = sorted.filter((e) => typeof e.value === 'string').map((e) => [e.key, e.value as string]);
  const binary = sorted.flatMap((e) =>
    typeof e.value === 'string' ? [] : [[e.key, e.value.toString('base64')]],
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...(data.length > 0 ? { data: Object.fromEntries(data) as Record<string, string> } : {}),
    ...(binary.length > 0 ? { binaryData: Object.fromEntries(binary) as Record<string, string> } : {}),
  };
}
