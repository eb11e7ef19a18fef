// @ts-check
/**
 * Reads the container image recipes (data/images/*.yaml) for scripts/build-images.sh: validates one strictly,
 * prints its fields as bash assignments, hashes it with everything it builds from (the cache key), describes a
 * built OCI layout, and writes the index of built images that src/images reads. Plain JavaScript (with the
 * project's `yaml` dependency) so the build script runs before and without the TypeScript build.
 *
 *   node image-recipe.mjs fields RECIPE              bash assignments (recipe_name=..., recipe_packages=(...))
 *   node image-recipe.mjs hash RECIPE [INPUT...]     sha256 of the recipe, the files it names and INPUTs
 *   node image-recipe.mjs upstream-version VERSION   a Debian version's upstream part, as a tag
 *   node image-recipe.mjs image-json LAYOUT NAME TAG KEY HASH SECONDS   the image.json of a built layout
 *   node image-recipe.mjs size DIR                   a built image's size, for people
 *   node image-recipe.mjs index INDEX DIR...         INDEX updated with each DIR/image.json (on stdout)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/** The kinds of build a recipe can ask for; each is one function of scripts/build-images.sh. */
export const BUILD_KINDS = ['debian', 'busybox', 'go', 'pause'];

const TOP_KEYS = ['name', 'build', 'tag', 'minimalRoot', 'files', 'bundle', 'config'];
const CONFIG_KEYS = ['entrypoint', 'cmd', 'user', 'env', 'ports', 'workingDir', 'stopSignal'];
const TAG_KEYS = ['fixed', 'fromPackage', 'fromModule', 'suffix'];
const GO_KEYS = ['module', 'package', 'binary', 'ldflags', 'dir'];
const PAUSE_KEYS = ['module', 'path', 'source'];
const FILE_KEYS = ['from', 'to', 'mode'];
const BUNDLE_KEYS = ['entry', 'to'];
/** Docker's reference grammar, reduced to what the recipes need (lower-case path components, a tag). */
const NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;

/**
 * @typedef {{ from: string, to: string, mode: string }} RecipeFile
 * @typedef {{ mediaType?: string, digest: string, size: number, annotations?: Record<string, string> }} Descriptor
 * @typedef {{ name: string, tag: string, key: string, hash: string, buildSeconds: number }} BuildRecord
 * @typedef {BuildRecord & { reference: string, digest: string, size: number, layers: { digest: string, size: number }[] }} ImageMeta
 * @typedef {{
 *   key: string, name: string, kind: string, packages: string[],
 *   go: { module: string, package: string, binary: string, ldflags: string, dir: string } | undefined,
 *   pause: { module: string, path: string, source: string } | undefined,
 *   tag: { fixed?: string, fromPackage?: string, fromModule?: string, suffix: string },
 *   minimalRoot: boolean, files: RecipeFile[], bundle: { entry: string, to: string } | undefined,
 *   configArgs: string[],
 * }} Recipe
 */

/** A recipe problem, reported as one line naming the file. */
export class RecipeError extends Error {}

/**
 * Parses and validates one recipe's text; `file` names it in errors and gives its key (the file's base name).
 * @param {string} text
 * @param {string} file
 * @returns {Recipe}
 */
export function parseRecipe(text, file) {
  const fail = (/** @type {string} */ message) => {
    throw new RecipeError(`${file}: ${message}`);
  };
  const obj = record(/** @type {unknown} */ (parse(text)), 'the recipe', fail);
  only(obj, TOP_KEYS, 'the recipe', fail);
  const name = string(obj.name, 'name', fail);
  if (!NAME_PATTERN.test(name))
    fail(`name ${JSON.stringify(name)} is not a repository name (lower-case a-z0-9 . _ - /)`);

  const build = record(obj.build, 'build', fail);
  const kinds = Object.keys(build);
  if (kinds.length !== 1 || !BUILD_KINDS.includes(kinds[0] ?? ''))
    fail(`build needs exactly one of ${BUILD_KINDS.join(', ')}`);
  const kind = /** @type {string} */ (kinds[0]);
  const spec = build[kind];
  /** @type {string[]} */
  let packages = [];
  let go;
  let pause;
  if (kind === 'debian') packages = strings(spec, 'build.debian', fail);
  if (kind === 'busybox') packages = [string(spec, 'build.busybox', fail)];
  if (kind === 'go') {
    const g = stringFields(spec, `build.go`, GO_KEYS, ['ldflags', 'dir'], fail);
    // dir: where the binary goes in the image (default /), e.g. /bin when / holds a volume of the same name.
    const dir = g.dir ?? '/';
    if (!/^\/([\w.-]+\/?)*$/.test(dir)) fail(`build.go.dir ${dir} is not an absolute directory like /bin`);
    go = {
      module: g.module ?? '',
      package: g.package ?? '',
      binary: g.binary ?? '',
      ldflags: g.ldflags ?? '',
      dir,
    };
  }
  if (kind === 'pause') {
    const p = stringFields(spec, 'build.pause', PAUSE_KEYS, [], fail);
    pause = { module: p.module ?? '', path: p.path ?? '', source: p.source ?? '' };
  }

  const t = record(obj.tag, 'tag', fail);
  only(t, TAG_KEYS, 'tag', fail);
  const sources = ['fixed', 'fromPackage', 'fromModule'].filter((k) => t[k] !== undefined);
  if (sources.length !== 1) fail('tag needs exactly one of fixed, fromPackage, fromModule');
  /** @type {Recipe['tag']} */
  const tag = { suffix: t.suffix === undefined ? '' : string(t.suffix, 'tag.suffix', fail) };
  for (const k of sources) Object.assign(tag, { [k]: string(t[k], `tag.${k}`, fail) });
  if (tag.fixed !== undefined && !TAG_PATTERN.test(tag.fixed + tag.suffix))
    fail(`tag ${tag.fixed} is not a valid tag`);
  if (tag.fromModule !== undefined && kind !== 'go') fail('tag.fromModule needs a go build');

  const files = (obj.files === undefined ? [] : list(obj.files, 'files', fail)).map((f, i) => {
    const entry = record(f, `files[${i}]`, fail);
    only(entry, FILE_KEYS, `files[${i}]`, fail);
    const to = string(entry.to, `files[${i}].to`, fail);
    if (!to.startsWith('/')) fail(`files[${i}].to must be an absolute path in the image`);
    const mode = entry.mode === undefined ? '0644' : string(entry.mode, `files[${i}].mode`, fail);
    if (!/^0[0-7]{3}$/.test(mode)) fail(`files[${i}].mode must be octal like "0755"`);
    return { from: string(entry.from, `files[${i}].from`, fail), to, mode };
  });
  let bundle;
  if (obj.bundle !== undefined) {
    const b = record(obj.bundle, 'bundle', fail);
    only(b, BUNDLE_KEYS, 'bundle', fail);
    bundle = { entry: string(b.entry, 'bundle.entry', fail), to: string(b.to, 'bundle.to', fail) };
  }
  const minimalRoot = obj.minimalRoot === undefined ? false : bool(obj.minimalRoot, 'minimalRoot', fail);
  if (minimalRoot && kind === 'debian') fail('minimalRoot is for images without the Debian base');

  return {
    key: basename(file).replace(/\.ya?ml$/, ''),
    name,
    kind,
    packages,
    go,
    pause,
    tag,
    minimalRoot,
    files,
    bundle,
    configArgs: configArgs(obj.config === undefined ? {} : record(obj.config, 'config', fail), fail),
  };
}

/**
 * The recipe's `config` as umoci-config(1) flags.
 * @param {Record<string, unknown>} config
 * @param {(message: string) => never} fail
 */
function configArgs(config, fail) {
  only(config, CONFIG_KEYS, 'config', fail);
  /** @type {string[]} */
  const args = [];
  const each = (/** @type {string} */ key) => {
    if (config[key] === undefined) return;
    // An explicit empty list clears what the base image set.
    args.push(`--clear=config.${key}`);
    for (const v of strings(config[key], `config.${key}`, fail)) args.push(`--config.${key}=${v}`);
  };
  each('entrypoint');
  each('cmd');
  if (config.user !== undefined) args.push(`--config.user=${string(config.user, 'config.user', fail)}`);
  if (config.workingDir !== undefined)
    args.push(`--config.workingdir=${string(config.workingDir, 'config.workingDir', fail)}`);
  if (config.stopSignal !== undefined)
    args.push(`--config.stopsignal=${string(config.stopSignal, 'config.stopSignal', fail)}`);
  if (config.env !== undefined) {
    const env = record(config.env, 'config.env', fail);
    for (const [k, v] of Object.entries(env))
      args.push(`--config.env=${k}=${scalar(v, `config.env.${k}`, fail)}`);
  }
  if (config.ports !== undefined)
    for (const p of strings(config.ports, 'config.ports', fail)) {
      if (!/^\d{1,5}\/(tcp|udp)$/.test(p))
        fail(`config.ports entry ${JSON.stringify(p)} must look like 8080/tcp`);
      args.push(`--config.exposedports=${p}`);
    }
  return args;
}

/**
 * The cache key: sha256 over the recipe's text, every file it copies in, and the extra inputs (the build
 * scripts, a bundle, a base layer's key), each framed by its name so that moving bytes between files counts.
 * @param {string} recipeFile
 * @param {Recipe} recipe
 * @param {string[]} inputs files or literal strings prefixed with "=" (e.g. "=base:abc123")
 * @param {string} root the repository, against which the recipe's relative paths resolve
 */
export function recipeHash(recipeFile, recipe, inputs, root) {
  const hash = createHash('sha256');
  const add = (/** @type {string} */ label, /** @type {string | Buffer} */ content) => {
    hash.update(`${label}\0${Buffer.byteLength(content)}\0`);
    hash.update(content);
  };
  add('recipe', readFileSync(recipeFile));
  for (const f of recipe.files) add(`file:${f.from}`, readFileSync(resolve(root, f.from)));
  if (recipe.go) {
    for (const f of ['go.mod', 'go.sum']) add(`go:${f}`, readFileSync(resolve(root, recipe.go.module, f)));
  }
  if (recipe.pause) add('pause:go.mod', readFileSync(resolve(root, recipe.pause.module, 'go.mod')));
  for (const input of inputs) {
    if (input.startsWith('=')) add('literal', input.slice(1));
    else add(`input:${basename(input)}`, readFileSync(input));
  }
  return hash.digest('hex');
}

/**
 * A Debian package version as an image tag: the upstream part (no epoch, no Debian revision, no +ds/+dfsg/~
 * repack suffix), e.g. "1:1.35.0-4+deb12u1" -> "1.35.0", "2.42.0+ds-5+b5" -> "2.42.0".
 * @param {string} version
 */
export function upstreamVersion(version) {
  let v = version.replace(/^\d+:/, '');
  const dash = v.lastIndexOf('-');
  if (dash > 0) v = v.slice(0, dash);
  v = v.replace(/[+~].*$/, '');
  return v.replace(/[^\w.-]/g, '_');
}

/**
 * Digest and size of the manifest tagged TAG in an OCI layout: the reference that registries serve.
 * @param {string} layout
 * @param {string} tag
 */
export function describeLayout(layout, tag) {
  const readJson = (/** @type {string} */ path) =>
    /** @type {unknown} */ (JSON.parse(readFileSync(path, 'utf8')));
  const index = /** @type {{ manifests?: Descriptor[] }} */ (readJson(join(layout, 'index.json')));
  const entry = (index.manifests ?? []).find(
    (m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag,
  );
  if (!entry) throw new RecipeError(`${layout}: no manifest tagged ${tag}`);
  const manifest = /** @type {{ config: Descriptor, layers: Descriptor[] }} */ (
    readJson(join(layout, 'blobs', ...entry.digest.split(':')))
  );
  const layers = manifest.layers.map((l) => ({ digest: l.digest, size: l.size }));
  const size = entry.size + manifest.config.size + layers.reduce((n, l) => n + l.size, 0);
  return { digest: entry.digest, size, layers };
}

/**
 * What the build records beside a layout (image.json): the index entry without its layout path.
 * @param {string} layout
 * @param {BuildRecord} image
 * @returns {ImageMeta}
 */
export function imageMeta(layout, image) {
  const { digest, size, layers } = describeLayout(layout, image.tag);
  return { ...image, reference: `${image.name}:${image.tag}`, digest, size, layers };
}

/**
 * The index of built images: each image's name, tag, reference, layout dir and digest. Entries of `previous`
 * (an earlier index) whose layout still exists are kept, so that building some images keeps the others.
 * @param {string[]} dirs image dirs, each holding image.json written by the build
 * @param {{ images?: Record<string, { layout: string }> } | undefined} previous
 * @param {(path: string) => boolean} exists
 */
export function buildIndex(dirs, previous, exists) {
  /** @type {Record<string, unknown>} */
  const images = {};
  for (const [name, entry] of Object.entries(previous?.images ?? {})) {
    if (exists(join(entry.layout, 'image.json'))) images[name] = entry;
  }
  for (const dir of dirs) {
    const meta = readMeta(dir);
    images[meta.name] = { ...meta, layout: dir };
  }
  return { apiVersion: 'cncfdemo.dev/v1alpha1', kind: 'ImageIndex', images };
}

/** @param {string} dir @returns {ImageMeta} */
function readMeta(dir) {
  const meta = /** @type {unknown} */ (JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8')));
  return /** @type {ImageMeta} */ (meta);
}

/** @param {string} s */
export function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Bash assignments for scripts/build-images.sh (`eval` them).
 * @param {Recipe} r
 */
export function shellFields(r) {
  const arr = (/** @type {string[]} */ xs) => `(${xs.map(shellQuote).join(' ')})`;
  return [
    `recipe_key=${shellQuote(r.key)}`,
    `recipe_name=${shellQuote(r.name)}`,
    `recipe_kind=${shellQuote(r.kind)}`,
    `recipe_packages=${arr(r.packages)}`,
    `recipe_go=${arr(r.go ? [r.go.module, r.go.package, r.go.binary, r.go.ldflags, r.go.dir] : [])}`,
    `recipe_pause=${arr(r.pause ? [r.pause.module, r.pause.path, r.pause.source] : [])}`,
    `recipe_tag_fixed=${shellQuote(r.tag.fixed ?? '')}`,
    `recipe_tag_package=${shellQuote(r.tag.fromPackage ?? '')}`,
    `recipe_tag_module=${shellQuote(r.tag.fromModule ?? '')}`,
    `recipe_tag_suffix=${shellQuote(r.tag.suffix)}`,
    `recipe_minimal_root=${r.minimalRoot ? 1 : 0}`,
    `recipe_files=${arr(r.files.flatMap((f) => [f.from, f.to, f.mode]))}`,
    `recipe_bundle=${arr(r.bundle ? [r.bundle.entry, r.bundle.to] : [])}`,
    `recipe_config_args=${arr(r.configArgs)}`,
  ].join('\n');
}

// Small strict readers: each names the field it rejects.
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {Record<string, unknown>} */
function record(v, what, fail) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} must be a mapping`);
  return /** @type {Record<string, unknown>} */ (v);
}
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {unknown[]} */
function list(v, what, fail) {
  if (!Array.isArray(v)) fail(`${what} must be a list`);
  return /** @type {unknown[]} */ (v);
}
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {string} */
function string(v, what, fail) {
  if (typeof v !== 'string' || v === '') fail(`${what} must be a non-empty string`);
  return /** @type {string} */ (v);
}
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {string} */
function scalar(v, what, fail) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') fail(`${what} must be a string`);
  return /** @type {string} */ (v);
}
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {boolean} */
function bool(v, what, fail) {
  if (typeof v !== 'boolean') fail(`${what} must be true or false`);
  return /** @type {boolean} */ (v);
}
/** @param {unknown} v @param {string} what @param {(m: string) => never} fail @returns {string[]} */
function strings(v, what, fail) {
  return list(v, what, fail).map((x, i) => string(x, `${what}[${i}]`, fail));
}
/**
 * A mapping of strings with exactly `keys` (those in `optional` may be left out).
 * @param {unknown} v @param {string} what @param {string[]} keys @param {string[]} optional
 * @param {(m: string) => never} fail @returns {Record<string, string | undefined>}
 */
function stringFields(v, what, keys, optional, fail) {
  const obj = record(v, what, fail);
  only(obj, keys, what, fail);
  return Object.fromEntries(
    keys.map((k) => [
      k,
      optional.includes(k) && obj[k] === undefined ? undefined : string(obj[k], `${what}.${k}`, fail),
    ]),
  );
}
/** @param {Record<string, unknown>} obj @param {string[]} keys @param {string} what @param {(m: string) => never} fail */
function only(obj, keys, what, fail) {
  const unknown = Object.keys(obj).filter((k) => !keys.includes(k));
  if (unknown.length > 0)
    fail(`${what} has unknown field(s) ${unknown.join(', ')} (known: ${keys.join(', ')})`);
}

function main(/** @type {string[]} */ argv) {
  const [command, ...args] = argv;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const load = (/** @type {string} */ file) => parseRecipe(readFileSync(file, 'utf8'), file);
  switch (command) {
    case 'fields':
      return shellFields(load(args[0] ?? ''));
    case 'hash': {
      const [file = '', ...inputs] = args;
      return recipeHash(file, load(file), inputs, root);
    }
    case 'upstream-version':
      return upstreamVersion(args[0] ?? '');
    case 'describe':
      return JSON.stringify(describeLayout(args[0] ?? '', args[1] ?? ''));
    case 'image-json': {
      const [layout = '', name = '', tag = '', key = '', hash = '', seconds = '0'] = args;
      return JSON.stringify(
        imageMeta(layout, { name, tag, key, hash, buildSeconds: Number(seconds) }),
        null,
        2,
      );
    }
    case 'size': {
      const meta = readMeta(args[0] ?? '');
      return `${(meta.size / 1e6).toFixed(1)} MB compressed in ${meta.layers.length} layer(s)`;
    }
    case 'index': {
      const [file = '', ...dirs] = args;
      const previous = existsSync(file)
        ? /** @type {{ images?: Record<string, { layout: string }> }} */ (
            JSON.parse(readFileSync(file, 'utf8'))
          )
        : undefined;
      return JSON.stringify(buildIndex(dirs, previous, existsSync), null, 2);
    }
    default:
      throw new RecipeError(
        `unknown command ${command ?? '(none)'}; use fields, hash, upstream-version, describe, image-json, size or index`,
      );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(`${main(process.argv.slice(2))}\n`);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof RecipeError ? 2 : 1);
  }
}
