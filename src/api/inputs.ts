/**
 * What `create -f`, `apply -f`, `delete -f`, `wait -f` and `create configmap` read, before any API call:
 * values, templates, manifests with their sources, and ConfigMaps built from files.
 */
import { loadManifests, type Manifest } from '../inputs/index.js';
import { loadValues, type TemplateCompat } from '../templates/index.js';

export interface ReadObjectsOptions {
  /** `-f`: files, directories or "-" (standard input). */
  filenames: readonly string[];
  /** `-R`: walk subdirectories. */
  recursive?: boolean;
  /** `--values FILE`, repeatable. */
  valuesFiles?: readonly string[];
  /** `--set a.b=c`, repeatable. */
  set?: readonly string[];
  /** `--template-compat`: Jinja2 (default) or the original cncfdemo's templates. */
  templateCompat?: TemplateCompat;
  stdin?: NodeJS.ReadableStream;
  cwd?: string;
}

/** Loads values, renders templates and parses every object of the `-f` inputs; UserErrors name file and line. */
export async function readObjects(options: ReadObjectsOptions): Promise<Manifest[]> {
  const values = await loadValues(options);
  return loadManifests({ ...options, values });
}

export {
  configMapFromFiles,
  describeSource,
  sourceLookup,
  type ConfigMapObject,
  type ConfigMapOptions,
  type Manifest,
  type ManifestSource,
} from '../inputs/index.js';
export {
  renderTemplateFile,
  TEMPLATE_COMPAT_MODES,
  type TemplateCompat,
  type Values,
} from '../templates/index.js';
