/**
 * Container images for a real node, where no image registry is reachable: built from Debian packages and
 * pinned Go modules by scripts/build-images.sh into OCI layouts cached outside the repo (recipes in
 * data/images/), served by a registry on loopback that containerd uses as a mirror, so the real pull path
 * (registry -> containerd -> snapshot -> runc) runs.
 *
 *   const index = await ensureImages();
 *   const registry = await startLoopbackRegistry({ dataDir });
 *   await pushImages(registry, index);   // then docker.io/cncfdemo/busybox:TAG resolves through the mirror
 */
export { ensureImages, type EnsureImagesOptions } from './ensure.js';
export { imageNamed, parseImageIndex, type ImageEntry, type ImageIndex } from './index-file.js';
export { pushImages, type PushResult } from './push.js';
export {
  registryConfig,
  startLoopbackRegistry,
  type LoopbackRegistry,
  type LoopbackRegistryOptions,
} from './registry.js';
