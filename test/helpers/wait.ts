// Polling from the test, for states that announce themselves nowhere (a page, a process, a file).

/**
 * Waits until `read` gives a value that `ok` accepts. Polled from the test: the UI pages' CSP also forbids
 * evaluating strings in them, so a page cannot be asked to wait itself.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeout = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeout} ms (last: ${String(value)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
