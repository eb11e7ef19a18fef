import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError, UserError } from '../errors/index.js';
import { exec as defaultExec, type Exec } from '../exec/index.js';
import { packageRoot } from '../config/paths.js';
import { parseImageIndex, type ImageIndex } from './index-file.js';

export interface EnsureImagesOptions {
  /** Recipe keys (data/images/KEY.yaml) to build or reuse; default: every recipe. */
  keys?: readonly string[];
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  /** The build's progress lines (one per image), as they come. */
  onOutput?: (chunk: string) => void;
}

/**
 * Builds the images that are missing or whose recipe changed (scripts/build-images.sh; cached images cost a
 * second) and returns the index of built images.
 */
export async function ensureImages(options: EnsureImagesOptions = {}): Promise<ImageIndex> {
  const script = join(packageRoot, 'scripts', 'build-images.sh');
  let stdout: string;
  try {
    ({ stdout } = await (options.exec ?? defaultExec)('bash', [script, ...(options.keys ?? [])], {
      env: options.env ?? process.env,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    }));
  } catch (err) {
    throw buildError(err);
  }
  const file = stdout.trim().split('\n').pop() ?? '';
  return parseImageIndex(await readFile(file, 'utf8'), file);
}

/** The script's own `error: ...` line as the message; exit 3 means a missing tool, 2 a bad recipe. */
function buildError(err: unknown): Error {
  if (!(err instanceof RunError)) return err instanceof Error ? err : new Error(String(err));
  const line = err.output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('error: '))
    ?.slice('error: '.length);
  if (err.exitCode === 3)
    return new UserError(
      line ?? 'building the container images needs tools that are missing',
      'run bash scripts/setup.sh as root with CNCFDEMO_SETUP_TEST=1 (installs mmdebstrap, umoci), then retry',
    );
  if (err.exitCode === 2)
    return new UserError(line ?? 'an image recipe is invalid', 'fix the recipe under data/images/ and retry');
  return new UserError(
    `building the container images failed: ${line ?? err.message}`,
    'run bash scripts/build-images.sh to see its whole output',
  );
}
