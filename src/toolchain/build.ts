/**
 * Building sets from source with the repository's scripts (scripts/build-*.sh, from the wrapper Go modules
 * under toolchain/), reported as one line per binary built instead of Go's line per module fetched.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir, packageRoot } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import { exec as defaultExec, which, type Exec } from '../exec/index.js';
import { setDir, type BuildRequest } from './install.js';
import type { InstallEvent } from './progress.js';

/** The node's binaries, which scripts/build-binaries.sh builds only with --node. */
const NODE_FILES = new Set(['kubelet', 'kube-proxy', 'crictl']);

/** The script invocations that build `requests` (each builds only what is missing from the cache). */
export function buildCommands(requests: readonly BuildRequest[]): string[][] {
  const script = (name: string): string => join(packageRoot, 'scripts', name);
  const commands: string[][] = [];
  const cluster = requests.filter((r) => r.set !== 'k6' && r.set !== 'promtool');
  if (cluster.length > 0) {
    const node = cluster.some((r) => r.files.some((f) => NODE_FILES.has(f)));
    commands.push([script('build-binaries.sh'), ...(node ? ['--node'] : [])]);
  }
  if (requests.some((r) => r.set === 'k6')) commands.push([script('build-k6.sh')]);
  if (requests.some((r) => r.set === 'promtool')) commands.push([script('build-promtool.sh')]);
  return commands;
}

/** Go's per-module lines ("go: downloading k8s.io/api v0.34.12"), summed up instead of printed. */
const GO_FETCH = /^go: (downloading|finding|extracting) /;
const MODULES_EVERY = 50;

export interface ScriptBuildOptions {
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  onProgress?: (event: InstallEvent) => void;
  /** How often the cache is looked at for binaries that are done. */
  pollMs?: number;
}

/** A `build` for ensureInstalled: runs the build scripts, reporting each binary as it lands in the cache. */
export function scriptBuild(options: ScriptBuildOptions = {}): (requests: readonly BuildRequest[]) => Promise<void> {
  return async (requests) => {
    const env = options.env ?? process.env;
    const cache = cacheDir(env);
    const files = requests.flatMap((r) =>
      r.files.map((file) => ({ ...r, file, path: join(setDir(cache, r.set, r.version), file) })),
    );
    if (!(await which('go', env.PATH))) {
      throw new UserError(
        `${files.length} binaries must be built from source (${requests[0]?.reason ?? 'not downloadable'}) and the Go toolchain is not on PATH`,
        'install Go >= 1.25 (https://go.dev/doc/install) and retry, or run where the release sites can be reached',
      );
    }
    const report = options.onProgress ?? (() => undefined);
    const done = new Set<string>();
    let polling: Promise<void> | undefined;
    const poll = (): Promise<void> => (polling ??= look().finally(() => (polling = undefined)));
    const look = async (): Promise<void> => {
      for (const f of files) {
        if (done.has(f.path)) continue;
        const size = await stat(f.path).then(
          (s) => s.size,
          () => undefined,
        );
        if (size === undefined) continue;
        done.add(f.path);
        report({ kind: 'built', set: f.set, version: f.version, file: f.file, bytes: size, done: done.size, total: files.length });
      }
    };
    const timer = setInterval(() => void poll(), options.pollMs ?? 1000);
    let modules = 0;
    let partial = '';
    const onOutput = (chunk: string): void => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (GO_FETCH.test(line)) {
          modules += 1;
          if (modules % MODULES_EVERY === 0) report({ kind: 'modules', count: modules });
        } else if (line.trim() && !line.startsWith(cache)) {
          // (the scripts print the folders they filled on stdout, for their callers: not news here)
          report({ kind: 'note', line });
        }
      }
    };
    try {
      for (const [script, ...args] of buildCommands(requests))
        await (options.exec ?? defaultExec)('bash', [script ?? '', ...args], { env, onOutput });
    } finally {
      clearInterval(timer);
    }
    await polling;
    await poll();
  };
}
