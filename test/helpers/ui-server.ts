// A web UI in a process of its own, for tests that measure the server alone: prints its URL, serves the
// home given as the first argument until SIGTERM. Run with --expose-gc and an IPC channel: on the message
// 'measure' it collects garbage fully and answers with what it holds (UiServerMeasure).
import { serveWebUi } from '../../src/api/web.js';

export interface UiServerMeasure {
  streams: number;
  followedRuns: number;
  connections: number;
  /** V8 heap in use after a full garbage collection, bytes. */
  heapUsed: number;
  rss: number;
}

const ui = await serveWebUi({ home: process.argv[2] ?? '', port: 0 });
process.stdout.write(`${ui.url}\n`);
process.on('message', (message) => {
  if (message !== 'measure') return;
  (globalThis as { gc?: () => void }).gc?.();
  void ui.openConnections().then((connections) => {
    const measure: UiServerMeasure = {
      streams: ui.openStreams(),
      followedRuns: ui.followedRuns(),
      connections,
      heapUsed: process.memoryUsage().heapUsed,
      rss: process.memoryUsage().rss,
    };
    process.send?.(measure);
  });
});
process.once('SIGTERM', () => {
  void ui.close().then(() => process.exit(0));
});
