import { errorMessage, UserError } from '../../../../errors/index.js';
import type { RegistryMirror } from '../../../types.js';

const PROBE_TIMEOUT_MS = 3000;

/** Parses `--registry-mirror REGISTRY=URL` (e.g. docker.io=http://127.0.0.1:5000). */
export function parseRegistryMirror(text: string): RegistryMirror {
  const eq = text.indexOf('=');
  const registry = text.slice(0, eq).trim();
  const endpoint = text
    .slice(eq + 1)
    .trim()
    .replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (eq <= 0 || !/^[a-z0-9.-]+(:\d+)?$/i.test(registry) || !url || !/^https?:$/.test(url.protocol)) {
    throw new UserError(
      `--registry-mirror "${text}" is not REGISTRY=URL`,
      "give the registry host and the mirror's URL, e.g. --registry-mirror docker.io=http://127.0.0.1:5000",
    );
  }
  return { registry, endpoint };
}

/** Every mirror answers the registry API (`GET /v2/`) before anything starts. */
export async function checkMirrors(mirrors: readonly RegistryMirror[]): Promise<void> {
  for (const mirror of mirrors) {
    let problem: string | undefined;
    try {
      const response = await fetch(`${mirror.endpoint}/v2/`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      // 401 is a registry asking for credentials: it answers.
      if (!response.ok && response.status !== 401) problem = `HTTP ${String(response.status)}`;
    } catch (err) {
      problem =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${String(PROBE_TIMEOUT_MS / 1000)}s`
          : causeOf(err);
    }
    if (problem) {
      throw new UserError(
        `the registry mirror for ${mirror.registry} at ${mirror.endpoint} does not answer (${problem})`,
        'start the registry, or fix --registry-mirror REGISTRY=URL',
      );
    }
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  return errorMessage(cause ?? err);
}
