/**
 * The pinned official releases (data/releases.yaml) and the pure half of installing from them: for each set
 * of binaries, either the files to download with their sums, or why it has to be built from source.
 */
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { dataSchema, loadDocument } from '../schema/document.js';

/** Architectures as release file names spell them; anything else has no pins and is built. */
export type Arch = 'amd64' | 'arm64';

export interface ReleaseFile {
  /** https://HOST/PATH, `{arch}` standing for the architecture. */
  url: string;
  /** The member of a .tar.gz to install (`{arch}` as in url); absent: the download is the file itself. */
  extract?: string;
  /** Of the downloaded file: one for every architecture, or per architecture (a missing one: not pinned). */
  sha256: string | Partial<Record<Arch, string>>;
}

export interface ReleaseSet {
  /** The version these sums are for: the set is downloaded only when the toolchain pins this very version. */
  version: string;
  /** Where the sums were read. */
  source: string;
  /** Path in the set's cache folder (`kubectl`, `stages/pod-ready.yaml`) -> its release file. */
  files: Record<string, ReleaseFile>;
}

export interface ReleasePins {
  apiVersion: string;
  kind: 'ReleasePins';
  sets: Record<string, ReleaseSet>;
}

export const RELEASES_FILE = join(packageRoot, 'data', 'releases.yaml');
export const RELEASE_PINS_SCHEMA = dataSchema<ReleasePins>(
  'release-pins',
  join(packageRoot, 'schemas', 'release-pins.schema.json'),
);

export function loadReleasePins(path = RELEASES_FILE): Promise<ReleasePins> {
  return loadDocument(path, 'ReleasePins', RELEASE_PINS_SCHEMA);
}

/** This machine's architecture in release names; undefined where no release is pinned (Linux amd64/arm64 only). */
export function releaseArch(platform: string = process.platform, arch: string = process.arch): Arch | undefined {
  if (platform !== 'linux') return undefined;
  return arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
}

/** What a command needs of one set: paths in its cache folder; a folder (`stages`) means every file under it. */
export interface SetRequest {
  set: string;
  version: string;
  files: readonly string[];
}

export interface Download {
  /** Path in the set's cache folder. */
  path: string;
  /** Where it is fetched from (the mirror's address when one is set). */
  url: string;
  sha256: string;
  extract?: string;
}

export type SetPlan =
  | { set: string; version: string; source: 'download'; downloads: Download[] }
  | { set: string; version: string; source: 'build'; reason: string };

/** https://HOST/PATH as the mirror serves it: MIRROR/HOST/PATH. */
export function mirrored(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const { host, pathname, search } = new URL(url);
  return `${mirror.replace(/\/+$/, '')}/${host}${pathname}${search}`;
}

/**
 * Downloads for every file `request` needs, or the reason the set must be built: one set is never half
 * downloaded, half built (its binaries come from one release or one build).
 */
export function planSet(
  pins: ReleasePins,
  request: SetRequest,
  arch: Arch | undefined,
  mirror?: string,
): SetPlan {
  const { set, version } = request;
  const build = (reason: string): SetPlan => ({ set, version, source: 'build', reason });
  const release = pins.sets[set];
  if (!release) return build('no release of it is pinned in data/releases.yaml');
  if (release.version !== version)
    return build(`data/releases.yaml pins ${release.version}, the toolchain ${version}`);
  if (!arch) return build(`no release is pinned for ${process.platform}/${process.arch}`);
  const downloads: Download[] = [];
  for (const wanted of request.files) {
    const paths = Object.keys(release.files).filter((p) => p === wanted || p.startsWith(`${wanted}/`));
    if (paths.length === 0) return build(`data/releases.yaml has no release file for ${wanted}`);
    for (const path of paths) {
      const file = release.files[path];
      const sha256 = typeof file?.sha256 === 'string' ? file.sha256 : file?.sha256[arch];
      if (!file || !sha256) return build(`no sha256 is pinned for ${path} (linux/${arch})`);
      const at = (text: string): string => text.replaceAll('{arch}', arch);
      downloads.push({
        path,
        url: mirrored(at(file.url), mirror),
        sha256,
        ...(file.extract ? { extract: at(file.extract) } : {}),
      });
    }
  }
  return { set, version, source: 'download', downloads };
}
