import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { parseYaml } from '../schema/document.js';
import { parseStackDefinition } from './definition.js';
import type { ConfigFile, StackSources } from './plan.js';

export const STACK_DEFINITION_FILE = join(packageRoot, 'manifests', 'stack.yaml');

/** Reads the stack definition, every template it names, all partials (`_*.j2`) and the config folders. */
export async function readStackSources(definitionFile = STACK_DEFINITION_FILE): Promise<StackSources> {
  const root = dirname(definitionFile);
  const file = relative(packageRoot, definitionFile);
  const definition = parseStackDefinition(parseYaml(await readFile(definitionFile, 'utf8'), file), file);
  const templatePaths = new Set(definition.components.flatMap((c) => c.templates));
  for (const partial of await partialsUnder(root)) templatePaths.add(partial);
  const templates = new Map(
    await Promise.all(
      [...templatePaths].map(async (p) => [p, await readFile(join(root, p), 'utf8')] as const),
    ),
  );
  const folders = new Set(definition.components.flatMap((c) => c.configMaps.map((m) => m.from)));
  const configFolders = new Map(
    await Promise.all([...folders].map(async (f) => [f, await readFolder(join(root, f))] as const)),
  );
  return { definition, templates, configFolders };
}

async function partialsUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.startsWith('_') && e.name.endsWith('.j2'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The regular files directly in a folder (like `kubectl create configmap --from-file=DIR`). */
async function readFolder(dir: string): Promise<ConfigFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map(async (e) => ({ name: e.name, content: await readFile(join(dir, e.name)) })),
  );
}
