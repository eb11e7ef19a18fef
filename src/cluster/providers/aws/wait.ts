/** Time as the waits see it: real in the CLI, fake in tests (slow and failing cases run instantly). */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    }),
};

export interface Backoff {
  clock: Clock;
  /** Give up after this long (from the first try). */
  timeoutMs: number;
  /** First pause; doubled each time up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

export class WaitTimeout extends Error {
  override readonly name = 'WaitTimeout';
}

/**
 * Polls `probe` until it returns a value (not undefined), with exponential backoff; on timeout fails with
 * what was awaited and the last state the probe reported.
 */
export async function waitFor<T>(
  what: string,
  probe: (report: (state: string) => void) => Promise<T | undefined>,
  backoff: Backoff,
): Promise<T> {
  const { clock } = backoff;
  const start = clock.now();
  let delay = backoff.initialDelayMs ?? 1000;
  let last = '';
  for (;;) {
    const value = await probe((state) => (last = state));
    if (value !== undefined) return value;
    const elapsed = clock.now() - start;
    if (elapsed >= backoff.timeoutMs) {
      throw new WaitTimeout(
        `timed out after ${Math.round(elapsed / 1000)} s waiting for ${what}${last ? ` (last: ${last})` : ''}`,
      );
    }
    await clock.sleep(Math.min(delay, backoff.timeoutMs - elapsed), backoff.signal);
    delay = Math.min(delay * 2, backoff.maxDelayMs ?? 15_000);
  }
}

/**
 * Runs `action`, retrying while `retryable(err)` says the error is a passing one (a dependency still being
 * deleted, an IAM role not yet propagated), with the same backoff; other errors fail at once.
 */
export async function retrying<T>(
  what: string,
  action: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  backoff: Backoff,
): Promise<T> {
  let lastError: unknown;
  const result = await waitFor(
    what,
    async (report) => {
      try {
        return { value: await action() };
      } catch (err) {
        if (!retryable(err)) throw err;
        lastError = err;
        report(err instanceof Error ? err.message : String(err));
        return undefined;
      }
    },
    backoff,
  ).catch((err: unknown) => {
    throw err instanceof WaitTimeout && lastError instanceof Error
      ? new WaitTimeout(err.message, { cause: lastError })
      : err;
  });
  return result.value;
}
