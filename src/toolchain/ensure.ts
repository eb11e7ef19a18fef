/** Installing sets the usual way: downloaded where pinned and reachable, else built by the scripts. */
import { join } from 'node:path';
import { cacheDir } from '../config/paths.js';
import type { Exec } from '../exec/index.js';
import { scriptBuild } from './build.js';
import { ensureInstalled, setDir } from './install.js';
import type { InstallEvent } from './progress.js';
import type { SetRequest } from './releases.js';
import { pinnedVersion } from './versions.js';

export interface EnsureToolsOptions {
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  onProgress?: (event: InstallEvent) => void;
}

/** Installs `requests` the usual way (download, else the build scripts) and returns each set's folder. */
export async function ensureTools(requests: readonly SetRequest[], options: EnsureToolsOptions = {}): Promise<string[]> {
  const env = options.env ?? process.env;
  const common = {
    env,
    ...(options.exec ? { exec: options.exec } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  await ensureInstalled(requests, { ...common, build: scriptBuild(common) });
  return requests.map((r) => setDir(cacheDir(env), r.set, r.version));
}

/** The tools a command installs on first use, each one binary of its own set. */
export type ToolName = 'k6' | 'promtool';

/** The path of `tool` (k6 for `benchmark --rate`, promtool for checking Prometheus rules), installed if missing. */
export async function ensureTool(tool: ToolName, options: EnsureToolsOptions = {}): Promise<string> {
  const version = await pinnedVersion(tool);
  const [dir] = await ensureTools([{ set: tool, version, files: [tool] }], options);
  return join(dir ?? '', tool);
}
