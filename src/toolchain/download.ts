/**
 * One file fetched over HTTP(S) into a path of ours, its sha256 computed on the way: the only network code
 * of set-up. A site that cannot be reached is `Unreachable` (the caller builds instead); a file whose sum is
 * not the pinned one is refused.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors/index.js';

/** The download could not happen (refused, no route, a timeout, an HTTP error): build from source instead. */
export class Unreachable extends Error {
  override readonly name = 'Unreachable';
  constructor(
    readonly url: string,
    readonly reason: string,
    /** The site itself is out of reach (not one missing file): no use trying its other files. */
    readonly siteDown: boolean,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** Nothing arrives for this long (no response, or a stalled transfer): the site counts as unreachable. */
export const IDLE_TIMEOUT_MS = 20_000;

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Fetches `url` into `dest` and returns its size and sha256 (hex). Throws Unreachable when the transfer
 * fails; `dest` may then hold part of the file (the caller's staging folder is removed whole).
 */
export async function fetchToFile(
  url: string,
  dest: string,
  idleTimeoutMs = IDLE_TIMEOUT_MS,
): Promise<{ bytes: number; sha256: string }> {
  const abort = new AbortController();
  let timer = setTimeout(() => { abort.abort(); }, idleTimeoutMs);
  const alive = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => { abort.abort(); }, idleTimeoutMs);
  };
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: abort.signal, redirect: 'follow' });
    } catch (err) {
      throw new Unreachable(url, abort.signal.aborted ? 'no answer' : networkReason(err), true);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Unreachable(url, `HTTP ${response.status}`, false);
    }
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        alive();
        bytes += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      // Node's web stream type and the DOM one differ only nominally.
      await pipeline(Readable.fromWeb(response.body as never), count, createWriteStream(dest));
    } catch (err) {
      throw new Unreachable(url, abort.signal.aborted ? 'the transfer stalled' : networkReason(err), true);
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    clearTimeout(timer);
  }
}

/** The one line a file whose sum is not its pin is refused with. */
export function checksumMismatch(name: string, version: string, expected: string, got: string): UserError {
  return new UserError(
    `refusing ${name} ${version}: sha256 ${got} is not the pinned ${expected} (data/releases.yaml); nothing was installed`,
  );
}

/** Fetches `url` to `dest` and checks its sum; on a mismatch `dest` is removed and the refusal thrown. */
export async function downloadVerified(
  url: string,
  dest: string,
  expected: { name: string; version: string; sha256: string },
  idleTimeoutMs?: number,
): Promise<number> {
  const { bytes, sha256 } = await fetchToFile(url, dest, idleTimeoutMs);
  if (sha256 !== expected.sha256) {
    await rm(dest, { force: true });
    throw checksumMismatch(expected.name, expected.version, expected.sha256, sha256);
  }
  return bytes;
}
