/**
 * Runs a CommonJS bundle from a V8 code cache: the bytecode of the functions the last run of the same
 * command compiled, so a start neither parses the bundle nor compiles what it runs (half of the fast
 * bundle's start-up: 0.3 MB of JavaScript, most of it the yaml library and commander).
 *
 * By hand, as no ecosystem option fits Node 20: its compile cache (`module.enableCompileCache`, which
 * start.ts uses where it exists) arrives in Node 22.1, and ES modules take no cached data there at all;
 * v8-compile-cache compiles what `require` loads through vm.Script without an `importModuleDynamically`
 * callback, so every `import()` in the bundle (client-node's credential plugins, the AWS SDK) fails with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, and it keeps what was compiled before the run, not after it
 * (which measured slower). The same holds here: on Node 20 a script compiled from cached data loses its
 * importModuleDynamically option, so the bundles run this way hold no import() (scripts/build.ts turns
 * each into a require()).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

export interface CodeCacheFile {
  dir: string;
  /**
   * Names the bundle's content, the Node.js version and what runs (the command): a cache is only ever
   * read for the exact bundle it was made from. V8 checks its own version and flags, and the source's
   * length only, so the content must be in the name.
   */
  key: string;
  /** The part of `key` naming the bundle and Node.js: files of other builds are removed once a day old. */
  build: string;
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/**
 * `require(file)` compiled from `cache` when it holds this bundle's code; otherwise the bundle is
 * compiled from source and, once the process exits, what it compiled is saved for the next run.
 */
export function requireWithCodeCache(file: string, cache: CodeCacheFile): unknown {
  const cacheFile = join(cache.dir, `${cache.key}.bin`);
  const source = readFileSync(file, 'utf8');
  const cachedData = readOptional(cacheFile);
  // The wrapper of CommonJS modules, so the bundle sees the usual require, module and __filename.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (!cachedData || script.cachedDataRejected === true) {
    // At exit: by then the cache holds every function the run compiled, not only the top level.
    process.once('exit', () => {
      save(script, cacheFile, cache);
    });
  }
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as CommonJsWrapper;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

const STALE_MS = 24 * 3600_000;

/** Best effort: a cache that cannot be written only costs the next run its compiling. */
function save(script: vm.Script, cacheFile: string, cache: CodeCacheFile): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    // Renamed into place, so a concurrent run reads the old cache or the new one, never half of one.
    renameSync(temporary, cacheFile);
    const now = Date.now();
    for (const name of readdirSync(cache.dir)) {
      if (name.startsWith(cache.build)) continue;
      const path = join(cache.dir, name);
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    rmSync(temporary, { force: true });
  }
}
