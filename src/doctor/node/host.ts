import type { Exec } from '../../exec/index.js';
import type { DoctorData } from '../data.js';
import type { RootFs } from './rootfs.js';

/**
 * What the node readers (kubelet.ts, runtimes.ts) read: the root filesystem and whether it is the running
 * host. The checks' NodeContext (types.ts) adds the facts those readers produce, so the readers depend on
 * this, never on the checks' types.
 */
export interface NodeHost {
  /** The live host at `/`, or a fixture tree, with its proc/sys. */
  root: RootFs;
  /** The root is the running host, so binaries under it may be executed (e.g. `containerd --version`). */
  live: boolean;
  exec: Exec;
  data: DoctorData;
}
