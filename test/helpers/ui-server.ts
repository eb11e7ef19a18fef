// A web UI in a process of its own, for tests that measure the server alone (its RSS): prints its URL,
// serves the home given as the first argument until SIGTERM.
import { serveWebUi } from '../../src/api/web.js';

const ui = await serveWebUi({ home: process.argv[2] ?? '', port: 0 });
process.stdout.write(`${ui.url}\n`);
// SIGUSR2: a full garbage collection (run with --expose-gc), so the test measures what is kept, not garbage.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
process.once('SIGTERM', () => {
  void ui.close().then(() => process.exit(0));
});
