import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** The file's mode, whatever the umask (e.g. 0o600 for credentials). */
  mode?: number;
  /** The mode of folders created on the way. */
  dirMode?: number;
}

/**
 * Writes a file whole or not at all: into a temporary file beside it (one per process, so concurrent
 * writers never share one), renamed into place. A reader, or a run after a crash, sees the old content or
 * the new one, never half of either.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await mkdir(dirname(path), {
    recursive: true,
    ...(options.dirMode !== undefined ? { mode: options.dirMode } : {}),
  });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data, options.mode !== undefined ? { mode: options.mode } : {});
  if (options.mode !== undefined) await chmod(temporary, options.mode);
  await rename(temporary, path);
}
