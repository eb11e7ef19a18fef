/**
 * Installing the pinned binaries into the cache: each missing set is downloaded from its official release
 * and checked against data/releases.yaml, or built from source when it cannot be (not pinned, the site out
 * of reach, CNCFDEMO_BUILD_FROM_SOURCE=1). A set lands in its folder whole or not at all.
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheDir } from '../config/paths.js';
import { exec as defaultExec, type Exec } from '../exec/index.js';
import { downloadVerified, Unreachable } from './download.js';
import type { InstallEvent } from './progress.js';
import {
  loadReleasePins,
  planSet,
  releaseArch,
  type Arch,
  type Download,
  type ReleasePins,
  type SetRequest,
} from './releases.js';

/** The cache folder of one set: `<cache>/bin/<set>-<version>`. */
export function setDir(cache: string, set: string, version: string): string {
  return join(cache, 'bin', `${set}-${version}`);
}

/** A set to build from source, the files missing from it, and why it was not downloaded. */
export interface BuildRequest extends SetRequest {
  reason: string;
}

export interface InstallOptions {
  env?: NodeJS.ProcessEnv;
  /** Runs tar for archives. */
  exec?: Exec;
  /** Builds the given sets from source (the build scripts; tests pass a fake). */
  build: (requests: readonly BuildRequest[]) => Promise<void>;
  onProgress?: (event: InstallEvent) => void;
  /** Default: data/releases.yaml. */
  pins?: ReleasePins;
  /** Default: this machine's (undefined: nothing is pinned for it). */
  arch?: Arch | undefined;
  idleTimeoutMs?: number;
}

export interface InstallResult {
  downloaded: string[];
  built: string[];
}

async function present(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The requests with only their missing files; sets with none left out. */
async function missingOf(cache: string, requests: readonly SetRequest[]): Promise<SetRequest[]> {
  const result: SetRequest[] = [];
  for (const request of requests) {
    const dir = setDir(cache, request.set, request.version);
    const files: string[] = [];
    for (const file of request.files) if (!(await present(join(dir, file)))) files.push(file);
    if (files.length > 0) result.push({ ...request, files });
  }
  return result;
}

/** Makes sure every requested file is in the cache, downloading or building what is missing. */
export async function ensureInstalled(
  requests: readonly SetRequest[],
  options: InstallOptions,
): Promise<InstallResult> {
  const env = options.env ?? process.env;
  const cache = cacheDir(env);
  const missing = await missingOf(cache, requests);
  const result: InstallResult = { downloaded: [], built: [] };
  if (missing.length === 0) return result;

  const toBuild: BuildRequest[] = [];
  const planned: { request: SetRequest; downloads: Download[] }[] = [];
  if (env.CNCFDEMO_BUILD_FROM_SOURCE === '1') {
    for (const request of missing) toBuild.push({ ...request, reason: 'CNCFDEMO_BUILD_FROM_SOURCE=1' });
  } else {
    const pins = options.pins ?? (await loadReleasePins());
    const arch = 'arch' in options ? options.arch : releaseArch();
    for (const request of missing) {
      const plan = planSet(pins, request, arch, env.CNCFDEMO_RELEASE_MIRROR || undefined);
      if (plan.source === 'build') toBuild.push({ ...request, reason: plan.reason });
      else planned.push({ request, downloads: plan.downloads });
    }
  }

  if (planned.length > 0) {
    const total = planned.reduce((n, p) => n + p.downloads.length, 0);
    const counter = { done: 0, total };
    let siteDown: string | undefined;
    for (const { request, downloads } of planned) {
      if (siteDown) {
        toBuild.push({ ...request, reason: siteDown });
        continue;
      }
      try {
        await installSet(cache, request, downloads, counter, options);
        result.downloaded.push(request.set);
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        const reason = `cannot download it (${err.message})`;
        if (err.siteDown) siteDown = reason;
        toBuild.push({ ...request, reason });
      }
    }
  }

  if (toBuild.length > 0) {
    for (const { set, version, reason } of toBuild) options.onProgress?.({ kind: 'building', set, version, reason });
    await options.build(toBuild);
    result.built.push(...toBuild.map((r) => r.set));
    const still = await missingOf(cache, toBuild);
    if (still.length > 0) {
      const names = still.flatMap((r) => r.files.map((f) => `${r.set}-${r.version}/${f}`));
      throw new Error(`the build finished but these are missing from ${join(cache, 'bin')}: ${names.join(', ')}`);
    }
  }
  return result;
}

/**
 * Downloads every file of one set into a staging folder beside the cache's sets, checks each, then moves the
 * requested files (a folder such as stages/ whole) into the set's folder. The staging folder is always removed.
 */
async function installSet(
  cache: string,
  request: SetRequest,
  downloads: readonly Download[],
  counter: { done: number; total: number },
  options: InstallOptions,
): Promise<void> {
  const bin = join(cache, 'bin');
  await mkdir(bin, { recursive: true });
  const staging = await mkdtemp(join(bin, `.download-${request.set}-`));
  try {
    for (const download of downloads) {
      const target = join(staging, 'set', download.path);
      await mkdir(dirname(target), { recursive: true });
      const fetched = download.extract ? join(staging, 'archive') : target;
      const name = download.path;
      const bytes = await downloadVerified(
        download.url,
        fetched,
        { name, version: request.version, sha256: download.sha256 },
        options.idleTimeoutMs,
      );
      let size = bytes;
      if (download.extract) size = await extract(fetched, download.extract, target, staging, options.exec);
      if (!download.path.includes('/')) await chmod(target, 0o755);
      counter.done += 1;
      options.onProgress?.({
        kind: 'downloaded',
        set: request.set,
        version: request.version,
        file: name,
        bytes: size,
        done: counter.done,
        total: counter.total,
      });
    }
    const dir = setDir(cache, request.set, request.version);
    await mkdir(dir, { recursive: true });
    // rename(2) is atomic on one filesystem: the set's folder never holds a partial file or folder.
    for (const file of request.files) await moveInto(join(staging, 'set', file), join(dir, file));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Renames into place; a folder another install put there meanwhile (same release, same sums) is kept. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await present(to))) return;
    throw err;
  }
}

/** Unpacks `member` of a .tar.gz to `target`; returns its size. */
async function extract(
  archive: string,
  member: string,
  target: string,
  staging: string,
  exec: Exec = defaultExec,
): Promise<number> {
  const out = join(staging, 'unpacked');
  await mkdir(out, { recursive: true });
  await exec('tar', ['-xzf', archive, '-C', out, '--no-same-owner', member]);
  await rename(join(out, member), target);
  await rm(archive, { force: true });
  return (await stat(target)).size;
}
