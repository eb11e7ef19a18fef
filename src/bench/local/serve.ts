/**
 * The Countly-shaped ingest server as a process of its own: the entry point of the `cncfdemo/ingest-server`
 * container image (bundled into one file for Debian's Node 18). Listens on $HOST:$PORT (default 0.0.0.0:8080;
 * `--port N` and `--host H` override), and exits 0 once SIGTERM or SIGINT has closed it.
 */
import { parseArgs } from 'node:util';
import { startLocalTarget } from './target.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const portText = values.port ?? process.env.PORT ?? '8080';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`ingest-server: invalid port ${JSON.stringify(portText)}; give a number 0-65535\n`);
  process.exit(2);
}
const target = await startLocalTarget(port, values.host ?? process.env.HOST ?? '0.0.0.0');
process.stderr.write(`ingest-server: listening on ${target.url}\n`);
const stop = (): void => {
  void target.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
