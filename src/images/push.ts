import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ImageEntry, ImageIndex } from './index-file.js';

export interface PushResult {
  /** References uploaded by this call. */
  pushed: string[];
  /** References the registry already had with the same digest (nothing sent). */
  present: string[];
  /** Blob bytes sent (blobs the registry had, or could mount from another repository, are not sent). */
  bytesSent: number;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/**
 * Pushes every image of the index to a registry over the distribution HTTP API, idempotently: an image whose
 * tag already resolves to its digest is skipped, and so is every blob the registry has; a blob pushed to
 * one repository is mounted into the next instead of sent again. (Hand-written on fetch: three endpoints,
 * streamed from the OCI layout, the digests kept byte for byte, no extra tool.)
 */
export async function pushImages(registry: { url: string }, index: ImageIndex): Promise<PushResult> {
  const result: PushResult = { pushed: [], present: [], bytesSent: 0 };
  const homes = new Map<string, string>();
  for (const image of Object.values(index.images).sort((a, b) => a.name.localeCompare(b.name))) {
    if ((await manifestDigest(registry.url, image)) === image.digest) {
      result.present.push(image.reference);
      continue;
    }
    const manifestBytes = await readFile(blobPath(image.layout, image.digest));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
      mediaType?: string;
      config: Descriptor;
      layers: Descriptor[];
    };
    for (const blob of [manifest.config, ...manifest.layers]) {
      result.bytesSent += await pushBlob(registry.url, image, blob, homes);
      homes.set(blob.digest, image.name);
    }
    await request(`${registry.url}/v2/${image.name}/manifests/${image.tag}`, {
      method: 'PUT',
      headers: { 'content-type': manifest.mediaType ?? OCI_MANIFEST },
      body: manifestBytes,
    });
    const stored = await manifestDigest(registry.url, image);
    if (stored !== image.digest)
      throw new Error(
        `${image.reference}: the registry stored digest ${stored ?? 'none'}, not ${image.digest}`,
      );
    result.pushed.push(image.reference);
  }
  return result;
}

/** The digest the registry serves for the image's tag, or undefined when it has none. */
async function manifestDigest(url: string, image: ImageEntry): Promise<string | undefined> {
  const response = await fetch(`${url}/v2/${image.name}/manifests/${image.tag}`, {
    method: 'HEAD',
    headers: { accept: OCI_MANIFEST },
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HEAD ${image.reference} manifest: HTTP ${response.status}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}

/** Sends one blob unless the registry has it (or can mount it from `homes`); returns the bytes sent. */
async function pushBlob(
  url: string,
  image: ImageEntry,
  blob: Descriptor,
  homes: Map<string, string>,
): Promise<number> {
  const repo = `${url}/v2/${image.name}`;
  const head = await fetch(`${repo}/blobs/${blob.digest}`, { method: 'HEAD' });
  if (head.ok) return 0;
  const from = homes.get(blob.digest);
  const query = from ? `?mount=${blob.digest}&from=${encodeURIComponent(from)}` : '';
  const start = await request(`${repo}/blobs/uploads/${query}`, { method: 'POST' });
  if (start.status === 201) return 0; // mounted
  const location = new URL(start.headers.get('location') ?? '', url);
  location.searchParams.set('digest', blob.digest);
  await request(location.href, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body: Readable.toWeb(createReadStream(blobPath(image.layout, blob.digest))) as ReadableStream,
    duplex: 'half',
  });
  return blob.size;
}

async function request(url: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}`);
  return response;
}

function blobPath(layout: string, digest: string): string {
  const [algorithm = '', hex = ''] = digest.split(':');
  return join(layout, 'blobs', algorithm, hex);
}
