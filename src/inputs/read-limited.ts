import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { errorMessage, UserError } from '../errors/index.js';
import { quantityValue } from '../kube/quantity.js';

/** How much one command reads from its inputs, at most. */
export interface InputLimits {
  /** Bytes of one file (or standard input). */
  fileBytes: number;
  /** Bytes of every input of the command together. */
  totalBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { fileBytes: 64 * 2 ** 20, totalBytes: 256 * 2 ** 20 };

/** Environment variables that raise (or lower) the limits; values are quantities like 128Mi. */
export const INPUT_LIMIT_ENV = {
  fileBytes: 'CNCFDEMO_MAX_INPUT_FILE_SIZE',
  totalBytes: 'CNCFDEMO_MAX_INPUT_TOTAL_SIZE',
} as const;

/** The limits in force: the defaults, overridden by the environment. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const limit = (key: keyof InputLimits): number => {
    const name = INPUT_LIMIT_ENV[key];
    const text = env[name];
    if (text === undefined || text === '') return DEFAULT_INPUT_LIMITS[key];
    const value = quantityValue(text.trim());
    if (value === undefined || !(value >= 1)) {
      throw new UserError(`${name}=${text} is not a size`, `set ${name} to a size like 128Mi or 1Gi`);
    }
    return Math.floor(value);
  };
  return { fileBytes: limit('fileBytes'), totalBytes: limit('totalBytes') };
}

/** "64 MiB", "1 MiB", "512 KiB", "100 bytes": how limits are named in messages. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(unit === 'KiB' ? 1 : 2)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** What a read that hit its limit throws: the caller says which limit and how to lift it. */
export type TooLarge = (limitBytes: number) => UserError;

/** What a read that failed (missing file, permissions) throws. */
export type ReadFailed = (err: NodeJS.ErrnoException) => UserError;

const readFailed =
  (display: string): ReadFailed =>
  (err) =>
    err.code === 'ENOENT'
      ? new UserError(`the path "${display}" does not exist`, 'check the path')
      : new UserError(`cannot read "${display}": ${errorMessage(err)}`, 'check the path and its permissions');

/**
 * Reads a file or stream, stopping as soon as it passes `maxBytes`: /dev/zero, /dev/urandom and FIFOs end
 * at the limit instead of growing until the process is killed.
 */
export async function readBounded(
  source: string | NodeJS.ReadableStream,
  display: string,
  maxBytes: number,
  tooLarge: TooLarge,
  failed: ReadFailed = readFailed(display),
): Promise<Buffer> {
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += bytes.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(bytes);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw failed(err as NodeJS.ErrnoException);
  } finally {
    if (typeof source === 'string') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  return Buffer.concat(chunks, size);
}

/**
 * UTF-8 text of an input, refused (with the byte offset and line) when it is not UTF-8: the API server
 * stores JSON strings, so invalid bytes would be replaced by U+FFFD and the data changed silently.
 * A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Buffer, display: string): string {
  if (isUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes);
  const offset = firstInvalidUtf8(bytes);
  const line = bytes.subarray(0, offset).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  throw new UserError(
    `${display}:${line}: not valid UTF-8 at byte ${offset} (0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')})`,
    'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8); put binary data in a ConfigMap binaryData or Secret as base64',
  );
}

/**
 * The offset of the first byte that is not part of valid UTF-8. The lenient decoder marks each invalid
 * sequence with U+FFFD; walking the decoded text alongside the bytes finds the first U+FFFD that the input
 * did not itself contain (as EF BF BD). Node offers the check (isUtf8) but not where it failed.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  for (const char of text) {
    if (
      char === '\uFFFD' &&
      !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)
    )
      return offset;
    offset += Buffer.byteLength(char, 'utf8');
  }
  return offset;
}

/**
 * Reads the inputs of one command within its limits: each file up to `fileBytes`, all of them together up
 * to `totalBytes`; text must be UTF-8. Errors name the file and the limit.
 */
export class InputReader {
  #used = 0;

  constructor(readonly limits: InputLimits = inputLimits()) {}

  async text(source: string | NodeJS.ReadableStream, display: string, failed?: ReadFailed): Promise<string> {
    return decodeUtf8(await this.bytes(source, display, failed), display);
  }

  async bytes(source: string | NodeJS.ReadableStream, display: string, failed?: ReadFailed): Promise<Buffer> {
    const left = this.limits.totalBytes - this.#used;
    const max = Math.min(this.limits.fileBytes, left);
    const bytes = await readBounded(
      source,
      display,
      max,
      (limit) =>
        limit === this.limits.fileBytes
          ? new UserError(
              `${display} is larger than the ${formatBytes(limit)} limit for one input`,
              `split it into several files, or raise the limit with ${INPUT_LIMIT_ENV.fileBytes}=256Mi`,
            )
          : new UserError(
              `${display} takes the inputs over the ${formatBytes(this.limits.totalBytes)} limit for all inputs together`,
              `pass fewer files, or raise the limit with ${INPUT_LIMIT_ENV.totalBytes}=1Gi`,
            ),
      failed,
    );
    this.#used += bytes.length;
    return bytes;
  }
}
