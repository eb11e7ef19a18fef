import type { KubeObject } from '../kube/index.js';
import { UserError } from '../errors/index.js';
import {
  isTemplateFile,
  parseYamlDocuments,
  renderTemplateFile,
  type TemplateCompat,
  type Values,
} from '../templates/index.js';
import { expandFilenames, type ExpandOptions, type InputFile } from './files.js';
import { toObjects } from './objects.js';
import { InputReader, type InputLimits } from './read-limited.js';

/** Where an object came from, so errors can point at it. */
export interface ManifestSource {
  /** The path as the user gave it (joined with the directory), or "<stdin>". */
  file: string;
  /** 1-based position of the YAML document in the file (counting empty ones). */
  document: number;
  /** Line the document starts on; in the rendered text when `rendered`. */
  line: number;
  /** The file was a template: `line` counts lines of its output. */
  rendered: boolean;
  /** 0-based index inside a `kind: List` document. */
  item?: number;
}

/** A Kubernetes object read from an input, with its source. */
export interface Manifest {
  object: KubeObject;
  source: ManifestSource;
}

export interface LoadManifestsOptions extends ExpandOptions {
  /** `-f` arguments: files, directories, or "-" for standard input. */
  filenames: readonly string[];
  /** Values for templates (see loadValues). */
  values?: Values;
  /** How templates are read: Jinja2 (default) or the original cncfdemo's templates (`cncfdemo-v1`). */
  templateCompat?: TemplateCompat;
  /** Read for "-" (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Size limits (default: inputLimits() from the environment). */
  limits?: InputLimits;
}

/**
 * Reads every object from `-f` inputs in order: templates rendered with `values`, YAML 1.1 multi-document
 * and JSON parsed like kubectl, `kind: List` flattened. Fails with a UserError naming file and line.
 */
export async function loadManifests(options: LoadManifestsOptions): Promise<Manifest[]> {
  const inputs = await expandFilenames(options.filenames, options);
  const reader = new InputReader(options.limits);
  const manifests: Manifest[] = [];
  // One push per object: spreading a file's 100k objects into push() would overflow the call stack.
  for (const input of inputs) for (const m of await readInput(input, reader, options)) manifests.push(m);
  if (manifests.length === 0) {
    throw new UserError(
      `no objects found in ${options.filenames.map((f) => `"${f}"`).join(', ')}`,
      'give files with Kubernetes objects (.yaml, .yml, .json or templates .j2/.jinja/.njk); use -R for subdirectories',
    );
  }
  return manifests;
}

/** Parses manifest text (YAML or JSON, one or more documents) into objects with their sources. */
export function parseManifests(text: string, file: string, rendered = false): Manifest[] {
  return parseYamlDocuments(text, { file, rendered }).flatMap((doc) => {
    const source = (item?: number): ManifestSource => ({
      file,
      document: doc.index,
      line: doc.line,
      rendered,
      ...(item === undefined ? {} : { item }),
    });
    return toObjects(doc.value, (item) => describeSource(source(item))).map(({ object, item }) => ({
      object,
      source: source(item),
    }));
  });
}

/** "dir/app.yaml:12 (document 2)": how messages name a source. */
export function describeSource(source: ManifestSource): string {
  const item = source.item === undefined ? '' : `, item ${source.item}`;
  return source.rendered
    ? `${source.file} (document ${source.document}${item}, rendered line ${source.line})`
    : `${source.file}:${source.line} (document ${source.document}${item})`;
}

/** A lookup for kube's `sourceOf` option: object -> its description. */
export function sourceLookup(manifests: readonly Manifest[]): (obj: KubeObject) => string | undefined {
  const sources = new WeakMap(manifests.map((m) => [m.object, describeSource(m.source)]));
  return (obj) => sources.get(obj);
}

async function readInput(
  input: InputFile,
  reader: InputReader,
  options: LoadManifestsOptions,
): Promise<Manifest[]> {
  if (input.kind === 'stdin')
    return parseManifests(await reader.text(options.stdin ?? process.stdin, input.display), input.display);
  if (isTemplateFile(input.path)) {
    // Read within the limits (size, UTF-8) first; the engine then reads the same, now known, file.
    await reader.text(input.path, input.display);
    const text = await renderTemplateFile(input.path, {
      displayName: input.display,
      values: options.values ?? {},
      ...(options.templateCompat ? { compat: options.templateCompat } : {}),
    });
    return parseManifests(text, input.display, true);
  }
  return parseManifests(await reader.text(input.path, input.display), input.display);
}
