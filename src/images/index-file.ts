import { UserError } from '../errors/index.js';

/** One built image: an OCI layout in the cache and the reference the loopback registry serves it as. */
export interface ImageEntry {
  /** Repository as served, e.g. `cncfdemo/prometheus` or `pause`. */
  name: string;
  tag: string;
  /** `name:tag`. */
  reference: string;
  /** The manifest's digest (`sha256:...`): the same in the layout, the registry and containerd. */
  digest: string;
  /** Compressed bytes: manifest, config and layers. */
  size: number;
  layers: { digest: string; size: number }[];
  /** The OCI layout directory holding the image (tagged `tag`). */
  layout: string;
  /** The recipe's key (data/images/KEY.yaml) and the hash of what it was built from. */
  key: string;
  hash: string;
  buildSeconds: number;
}

/** images/index.json as scripts/build-images.sh writes it: built images by name. */
export interface ImageIndex {
  images: Record<string, ImageEntry>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses and checks an index file; `file` names it in errors. */
export function parseImageIndex(text: string, file: string): ImageIndex {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isRecord(doc) || doc.kind !== 'ImageIndex' || !isRecord(doc.images))
    throw invalid(file, 'not an ImageIndex (kind: ImageIndex with an images map)');
  const images: Record<string, ImageEntry> = {};
  for (const [name, value] of Object.entries(doc.images)) images[name] = entry(value, name, file);
  return { images };
}

function entry(value: unknown, name: string, file: string): ImageEntry {
  const where = `image ${name}`;
  if (!isRecord(value)) throw invalid(file, `${where} is not an object`);
  const str = (key: string): string => {
    const v = value[key];
    if (typeof v !== 'string' || v === '') throw invalid(file, `${where} has no ${key}`);
    return v;
  };
  const num = (key: string): number => {
    const v = value[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(file, `${where} has no ${key}`);
    return v;
  };
  const image: ImageEntry = {
    name: str('name'),
    tag: str('tag'),
    reference: str('reference'),
    digest: str('digest'),
    size: num('size'),
    layers: [],
    layout: str('layout'),
    key: str('key'),
    hash: str('hash'),
    buildSeconds: num('buildSeconds'),
  };
  if (image.name !== name) throw invalid(file, `${where} is filed under another name (${image.name})`);
  if (image.reference !== `${image.name}:${image.tag}`)
    throw invalid(file, `${where}: reference ${image.reference} is not ${image.name}:${image.tag}`);
  if (!DIGEST.test(image.digest))
    throw invalid(file, `${where}: digest ${image.digest} is not sha256:<64 hex>`);
  const layers = value.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw invalid(file, `${where} has no layers`);
  image.layers = layers.map((l: unknown, i) => {
    if (!isRecord(l) || typeof l.digest !== 'string' || !DIGEST.test(l.digest) || typeof l.size !== 'number')
      throw invalid(file, `${where}: layer ${i} needs a sha256 digest and a size`);
    return { digest: l.digest, size: l.size };
  });
  return image;
}

/** The entry for `name`, or a user error listing the names the index has. */
export function imageNamed(index: ImageIndex, name: string): ImageEntry {
  const image = index.images[name];
  if (!image)
    throw new UserError(
      `no image ${name} was built`,
      `known: ${Object.keys(index.images).sort().join(', ') || '(none)'}; run bash scripts/build-images.sh`,
    );
  return image;
}

function invalid(file: string, what: string): UserError {
  return new UserError(`${file}: ${what}`, 'rebuild it: bash scripts/build-images.sh');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
