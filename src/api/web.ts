/**
 * The web UI facade and the recorded runs' summaries (`runs`).
 */
import { homeDir } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import { listRunSummaries as summaries, type RunSummary } from '../web/runs.js';
import { startWebUi, type WebUi } from '../web/server.js';

export type { WebUi } from '../web/server.js';
export type { RunSummary } from '../web/runs.js';

export interface WebUiApiOptions {
  /** 0 picks a free port. */
  port?: number;
  home?: string;
  env?: NodeJS.ProcessEnv;
}

/** `runs`: every recorded run in the home, newest first; with `command`, only that command's. */
export async function listRunSummaries(
  options: { home?: string; env?: NodeJS.ProcessEnv; command?: string } = {},
): Promise<RunSummary[]> {
  const runs = await summaries(homeDir(options.env, options.home));
  return options.command === undefined ? runs : runs.filter((r) => r.command === options.command);
}

/** Serves the web UI on 127.0.0.1 (it has no authentication, so it never listens beyond this machine). */
export async function serveWebUi(options: WebUiApiOptions = {}): Promise<WebUi> {
  const port = options.port ?? 0;
  try {
    return await startWebUi({ home: homeDir(options.env, options.home), port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(
        `port ${String(port)} on 127.0.0.1 is in use`,
        'pick another with --port N (0: any free port)',
      );
    }
    throw err;
  }
}
