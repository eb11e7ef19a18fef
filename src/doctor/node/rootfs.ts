import { constants } from 'node:fs';
import { access, lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';

const MAX_SYMLINK_HOPS = 40;

/**
 * A root filesystem read as if chrooted into it: absolute symlinks (`/etc/alternatives/iptables`,
 * `/etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf`) resolve inside the root, never on the host.
 * The live host is simply `new RootFs('/')`.
 */
export class RootFs {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  /** The host path of `inside`, symlinks followed within the root; undefined when it does not exist. */
  async resolve(inside: string): Promise<string | undefined> {
    const pending = splitPath(inside);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift() ?? '';
      if (part === '..') {
        done.pop();
        continue;
      }
      const host = join(this.path, ...done, part);
      let info;
      try {
        info = await lstat(host);
      } catch {
        return undefined;
      }
      if (!info.isSymbolicLink()) {
        done.push(part);
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...splitPath(target));
    }
    return join(this.path, ...done);
  }

  /** A file's text, or undefined when it is missing, a directory or a dangling link. */
  async readText(inside: string): Promise<string | undefined> {
    const host = await this.resolve(inside);
    if (!host) return undefined;
    try {
      return await readFile(host, 'utf8');
    } catch {
      return undefined;
    }
  }

  async exists(inside: string): Promise<boolean> {
    return (await this.resolve(inside)) !== undefined;
  }

  async isDirectory(inside: string): Promise<boolean> {
    const host = await this.resolve(inside);
    return host !== undefined && (await stat(host)).isDirectory();
  }

  /** Names in a directory, sorted; empty when it does not exist. */
  async list(inside: string): Promise<string[]> {
    const host = await this.resolve(inside);
    if (!host) return [];
    try {
      return (await readdir(host)).sort();
    } catch {
      return [];
    }
  }

  /** A regular file with an execute bit (what a PATH lookup accepts). */
  async isExecutable(inside: string): Promise<boolean> {
    const host = await this.resolve(inside);
    if (!host) return false;
    try {
      const info = await stat(host);
      if (!info.isFile()) return false;
      await access(host, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** The first directory in `dirs` holding an executable `name`, as a path inside the root. */
  async which(name: string, dirs: readonly string[]): Promise<string | undefined> {
    for (const dir of dirs) {
      const candidate = posix.join(dir, name);
      if (await this.isExecutable(candidate)) return candidate;
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
