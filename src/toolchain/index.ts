/**
 * The pinned binaries cncfdemo runs (the local cluster's control plane and node, k6, promtool): their
 * versions (toolchain/<module>/go.mod), their official releases pinned by sha256 (data/releases.yaml), and
 * installing them into the cache: downloaded and verified where the release sites can be reached, built from
 * the pinned Go modules otherwise.
 */
export { ensureTool, ensureTools, type EnsureToolsOptions, type ToolName } from './ensure.js';
export { scriptBuild, buildCommands, type ScriptBuildOptions } from './build.js';
export { checksumMismatch, Unreachable } from './download.js';
export { ensureInstalled, setDir, type BuildRequest, type InstallOptions, type InstallResult } from './install.js';
export { formatBytes, formatInstallEvent, type InstallEvent } from './progress.js';
export {
  loadReleasePins,
  planSet,
  releaseArch,
  RELEASE_PINS_SCHEMA,
  type Arch,
  type ReleasePins,
  type SetRequest,
} from './releases.js';
export { pinnedVersion, requiredVersion, TOOLCHAIN_MODULES, type BinarySet } from './versions.js';
