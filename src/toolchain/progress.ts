/**
 * What installing the pinned binaries reports as it goes, one event per binary, and the one line each
 * event prints as (set-up's stderr, `cluster create`'s log).
 */

export type InstallEvent =
  /** One file of a set downloaded and verified; `done` of `total` files of this run. */
  | { kind: 'downloaded'; set: string; version: string; file: string; bytes: number; done: number; total: number }
  /** A set that is built from source instead, and why it was not downloaded. */
  | { kind: 'building'; set: string; version: string; reason: string }
  /** One binary built from source; `done` of `total` binaries this build makes. */
  | { kind: 'built'; set: string; version: string; file: string; bytes: number; done: number; total: number }
  /** The Go build fetched more modules (go prints a line per module: this says how many so far). */
  | { kind: 'modules'; count: number }
  /** A line the build printed (which set it builds, how long it took, a compiler error). */
  | { kind: 'note'; line: string };

/** Bytes as people read them: 98.1 MB, 2.3 kB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

export function formatInstallEvent(event: InstallEvent): string {
  switch (event.kind) {
    case 'downloaded':
      return `[${event.done}/${event.total}] downloaded ${event.file} ${event.version} (${formatBytes(event.bytes)}, sha256 ok)`;
    case 'building':
      return `building ${event.set} ${event.version} from source: ${event.reason}`;
    case 'built':
      return `[${event.done}/${event.total}] built ${event.file} ${event.version} (${formatBytes(event.bytes)})`;
    case 'modules':
      return `go: ${event.count} modules downloaded so far`;
    case 'note':
      return event.line;
  }
}
