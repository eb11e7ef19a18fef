/**
 * What the `-f` commands read before any API call: files, directories and stdin (with size limits),
 * manifests parsed like kubectl (templates rendered first), and ConfigMaps built from files.
 */
export {
  expandFilenames,
  isManifestName,
  MANIFEST_EXTENSIONS,
  STDIN,
  type ExpandOptions,
  type InputFile,
} from './files.js';
export {
  describeSource,
  loadManifests,
  parseManifests,
  sourceLookup,
  type LoadManifestsOptions,
  type Manifest,
  type ManifestSource,
} from './manifests.js';
export {
  CONFIGMAP_MAX_BYTES,
  configMapDataSize,
  configMapFromFiles,
  type ConfigMapObject,
  type ConfigMapOptions,
} from './configmap.js';
export { configMapKeyProblems } from './configmap-sources.js';
