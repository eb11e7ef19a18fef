import { ensureBinaries, ensureNodeBinaries } from '../cluster/providers/local/toolchain.js';
import type { Logger } from '../log/logger.js';
import { ensureTool, formatInstallEvent, type InstallEvent } from '../toolchain/index.js';

export interface InstallToolchainOptions {
  /** Also what a real node runs: kubelet, kube-proxy, crictl. */
  node?: boolean;
  /** k6 (`benchmark --rate` installs it on first use otherwise). */
  k6?: boolean;
  /** promtool, with which the tests check the stack's Prometheus rules. */
  promtool?: boolean;
  env?: NodeJS.ProcessEnv;
  /** One line per binary downloaded or built. */
  logger?: Logger;
}

/**
 * Set-up's binaries in the cache: the local cluster's control plane, and on request the real node's, k6
 * and promtool. Each set is downloaded from its pinned official release and checked against
 * data/releases.yaml where it can be, else built from the pinned Go modules (CNCFDEMO_BUILD_FROM_SOURCE=1
 * always builds); a download whose sha256 is not the pinned one is refused and nothing is installed.
 */
export async function installToolchain(options: InstallToolchainOptions = {}): Promise<void> {
  const { logger } = options;
  const common = {
    ...(options.env ? { env: options.env } : {}),
    ...(logger ? { logger } : {}),
  };
  await ensureBinaries(common);
  if (options.node) await ensureNodeBinaries(common);
  const onProgress = logger
    ? {
        onProgress: (event: InstallEvent) => {
          logger.info(formatInstallEvent(event));
        },
      }
    : {};
  const toolOptions = { ...(options.env ? { env: options.env } : {}), ...onProgress };
  if (options.k6) await ensureTool('k6', toolOptions);
  if (options.promtool) await ensureTool('promtool', toolOptions);
}
