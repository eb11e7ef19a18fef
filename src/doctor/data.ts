import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { dataSchema, loadDocument } from '../schema/document.js';

export type Severity = 'WARN' | 'FAIL';

export interface RequiredBinary {
  name: string;
  anyOf: string[];
  severity: Severity;
  why: string;
  packages: { debian: string; rhel: string };
}

export interface BinariesData {
  path: string[];
  binaries: RequiredBinary[];
}

export interface RuntimeSupport {
  source: string;
  /** Kubernetes minor ("1.33") -> semver ranges the runtime version must satisfy one of. */
  kubernetes?: Record<string, string[]>;
  /** The runtime's minor version must equal the Kubernetes minor (CRI-O). */
  sameMinor?: boolean;
  removedIn?: string;
  removedReason?: string;
  /** A binary that keeps the runtime usable after `removedIn` (cri-dockerd). */
  adapter?: string;
}

export interface SysctlRequirement {
  key: string;
  value: string;
  /** The value at boot when no sysctl.d file sets one. */
  kernelDefault: string;
  check: string;
  module?: string;
}

/** Check definitions kept as data under data/doctor/. */
export interface DoctorData {
  binaries: BinariesData;
  runtimes: Record<string, RuntimeSupport>;
  sysctls: SysctlRequirement[];
}

export const DOCTOR_DATA_DIR = join(packageRoot, 'data', 'doctor');

const schema = <T>(name: string) => dataSchema<T>(name, join(packageRoot, 'schemas', `${name}.schema.json`));

/** The doctor data files' schemas (schemas/doctor-*.schema.json), also precompiled by the build. */
export const DOCTOR_SCHEMAS = {
  binaries: schema<BinariesData>('doctor-binaries'),
  runtimes: schema<{ runtimes: Record<string, RuntimeSupport> }>('doctor-runtime-support'),
  sysctls: schema<{ sysctls: SysctlRequirement[] }>('doctor-sysctls'),
};

export async function loadDoctorData(dir = DOCTOR_DATA_DIR): Promise<DoctorData> {
  const [binaries, runtimes, sysctls] = await Promise.all([
    loadDocument(join(dir, 'binaries.yaml'), 'DoctorBinaries', DOCTOR_SCHEMAS.binaries),
    loadDocument(join(dir, 'runtime-support.yaml'), 'RuntimeSupportMatrix', DOCTOR_SCHEMAS.runtimes),
    loadDocument(join(dir, 'sysctls.yaml'), 'DoctorSysctls', DOCTOR_SCHEMAS.sysctls),
  ]);
  return {
    binaries: { path: binaries.path, binaries: binaries.binaries },
    runtimes: runtimes.runtimes,
    sysctls: sysctls.sysctls,
  };
}
