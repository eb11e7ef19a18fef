import type { NodeContext } from '../types.js';

/** Why a runtime check cannot judge this root: nothing runs containers here. */
export function noRuntime(ctx: NodeContext): string {
  return `no container runtime (docker, containerd, CRI-O) under ${ctx.root.path}: no binary, package or configuration found`;
}

/** Why a kubelet check cannot judge this root: it is not (yet) a Kubernetes node. */
export function noKubelet(ctx: NodeContext): string {
  return `no kubelet under ${ctx.root.path} (binary, config or package)`;
}
