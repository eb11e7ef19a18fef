/**
 * The web UI facade and the recorded runs' summaries (`runs`).
 */
import { homeDir } from '../config/paths.js';
import { contextName } from '../config/identity.js';
import { UserError } from '../errors/index.js';
import { connect } from '../kube/index.js';
import { readStackSources } from '../stack/sources.js';
import type { ClusterDirectory } from '../web/clusters.js';
import { listClusters } from './cluster.js';
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

/** The clusters of the home for the cluster view, reached through their contexts in the user's kubeconfig. */
function clusterDirectory(options: WebUiApiOptions): ClusterDirectory {
  const env = options.env ?? process.env;
  return {
    list: () => listClusters({ env, ...(options.home ? { home: options.home } : {}) }),
    connect: (cluster) => connect({ env, context: cluster.context || contextName(cluster.name) }),
    sources: () => readStackSources(),
  };
}

/** Serves the web UI on 127.0.0.1 (it has no authentication, so it never listens beyond this machine). */
export async function serveWebUi(options: WebUiApiOptions = {}): Promise<WebUi> {
  const port = options.port ?? 0;
  try {
    return await startWebUi({
      home: homeDir(options.env, options.home),
      port,
      clusters: clusterDirectory(options),
    });
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
