import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { errorMessage, UserError } from '../errors/index.js';
import { isTemplateFile } from '../templates/index.js';

/** One input of `-f`: a file (shown to the user as `display`) or standard input. */
export type InputFile = { kind: 'file'; path: string; display: string } | { kind: 'stdin'; display: string };

export interface ExpandOptions {
  /** Walk subdirectories too (`-R`). */
  recursive?: boolean;
  /** Base for relative paths (default: the process's working directory). */
  cwd?: string;
}

/** Extensions taken from directories: kubectl's three, plus templates. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml'];

/** The name of standard input in `-f -` and in messages. */
export const STDIN = '-';

/**
 * Expands `-f` arguments like kubectl: files are taken whatever their name; directories give their
 * .json/.yaml/.yml files and templates in name order (subdirectories only with `recursive`); symlinked
 * directories are not followed. Template partials (`_name.j2`) are skipped in directories.
 */
export async function expandFilenames(
  filenames: readonly string[],
  options: ExpandOptions = {},
): Promise<InputFile[]> {
  if (filenames.length === 0) {
    throw new UserError('no input given', 'pass -f FILE, -f DIRECTORY or -f - (standard input)');
  }
  const inputs: InputFile[] = [];
  for (const name of filenames) {
    if (name === STDIN) inputs.push({ kind: 'stdin', display: '<stdin>' });
    else inputs.push(...(await expandPath(name, options)));
  }
  return inputs;
}

async function expandPath(name: string, options: ExpandOptions): Promise<InputFile[]> {
  if (/^https?:\/\//.test(name)) {
    throw new UserError(
      `cannot read "${name}": URLs are not supported`,
      'download the file and pass its path',
    );
  }
  const path = resolve(options.cwd ?? process.cwd(), name);
  const info = await stat(path).catch((err: unknown) => {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing ? `the path "${name}" does not exist` : `cannot read "${name}": ${errorMessage(err)}`,
      'check the path given to -f',
    );
  });
  if (!info.isDirectory()) return [{ kind: 'file', path, display: name }];
  const files: InputFile[] = [];
  await walk(path, name, options.recursive === true, files);
  return files;
}

async function walk(dir: string, display: string, recursive: boolean, out: InputFile[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const shown = join(display, entry.name);
    if (entry.isDirectory()) {
      if (recursive) await walk(path, shown, recursive, out);
    } else if (isManifestName(entry.name) && (entry.isFile() || (await isFileLink(path)))) {
      out.push({ kind: 'file', path, display: shown });
    }
  }
}

/** Whether a file found in a directory is read: manifests and templates, but not partials like `_helpers.j2`. */
export function isManifestName(name: string): boolean {
  if (isTemplateFile(name)) return !basename(name).startsWith('_');
  return MANIFEST_EXTENSIONS.includes(extname(name));
}

async function isFileLink(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}
