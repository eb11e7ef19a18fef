/**
 * What bin/cncfdemo runs (through bin/cncfdemo.cjs: dist/fast/start.cjs, built by scripts/build.ts):
 * picks the bundle a command line needs (route.ts) and starts it.
 *
 * CommonJS, as is the fast bundle: on Node 20 an ES module graph starts through the ESM loader (resolve,
 * read, link per module: more than all of our own code on the fast path), and only CommonJS code can be
 * given a V8 code cache (code-cache.ts). The whole CLI stays an ES module graph split per command
 * (dist/bundle/), loaded for the commands the fast bundle leaves out.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandWord } from '../argv.js';
import { cncfdemoVersion } from '../../config/identity.js';
import { cacheDir } from '../../config/paths.js';
import { settleDeferredCa } from '../../config/ca-roots.js';
import { requireWithCodeCache } from './code-cache.js';
import { route } from './route.js';

type Main = (argv: readonly string[]) => Promise<number>;

/** Put in by scripts/build.ts: the fast bundle's content hash, naming its code cache. */
declare const CNCFDEMO_FAST_BUNDLE_HASH: string;

export async function start(argv: readonly string[]): Promise<number> {
  switch (route(argv)) {
    case 'version':
      process.stdout.write(`${await cncfdemoVersion()}\n`);
      return 0;
    case 'fast':
      // A kubectl-like command (not help): bin/cncfdemo may have deferred the default roots for it.
      if (commandWord(argv) !== undefined) settleDeferredCa();
      return fastMain(argv)(argv);
    case 'full': {
      const cli = (await import(new URL('../bundle/main.js', import.meta.url).href)) as { main: Main };
      return cli.main(argv);
    }
  }
}

function fastMain(argv: readonly string[]): Main {
  const file = fileURLToPath(new URL('./cli.cjs', import.meta.url));
  // Node >= 22.1 caches compiled code itself (bin/cncfdemo.cjs turns it on): a plain require is enough there.
  if ('enableCompileCache' in Module) return (Module.createRequire(file)(file) as { main: Main }).main;
  const build = `${CNCFDEMO_FAST_BUNDLE_HASH}-${process.version}-${process.arch}`;
  // One cache per command: each holds what its own runs compile (help, get, apply, ...).
  const key = `${build}-${commandWord(argv) ?? 'help'}`;
  const dir = join(cacheDir(), 'code-cache');
  return (requireWithCodeCache(file, { dir, key, build }) as { main: Main }).main;
}
