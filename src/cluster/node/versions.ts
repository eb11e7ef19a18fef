import { pinnedVersions } from '../providers/local/toolchain.js';

/** The Kubernetes minor real nodes install (`1.34`): the same release as the local cluster's binaries. */
export async function kubernetesMinor(): Promise<string> {
  const { kubernetes } = await pinnedVersions();
  const match = /^v?(\d+\.\d+)/.exec(kubernetes);
  if (!match?.[1]) throw new Error(`cannot read a Kubernetes minor from ${kubernetes}`);
  return match[1];
}
