import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../config/paths.js';

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

export async function loadDoctorData(dir = DOCTOR_DATA_DIR): Promise<DoctorData> {
  const binaries = await document(dir, 'binaries.yaml', 'DoctorBinaries');
  const runtimes = await document(dir, 'runtime-support.yaml', 'RuntimeSupportMatrix');
  const sysctls = await document(dir, 'sysctls.yaml', 'DoctorSysctls');
  return {
    binaries: parseBinaries(binaries),
    runtimes: parseRuntimes(runtimes),
    sysctls: list(sysctls, 'sysctls').map((item, i) => parseSysctl(item, `sysctls[${i}]`)),
  };
}

type Doc = Record<string, unknown>;

async function document(dir: string, file: string, kind: string): Promise<Doc> {
  const path = join(dir, file);
  const doc: unknown = parse(await readFile(path, 'utf8'));
  const obj = record(doc, path);
  if (obj.apiVersion !== 'cncfdemo.io/v1alpha1' || obj.kind !== kind) {
    throw new Error(`${path}: expected apiVersion cncfdemo.io/v1alpha1 and kind ${kind}`);
  }
  return obj;
}

function parseBinaries(doc: Doc): BinariesData {
  return {
    path: strings(doc.path, 'binaries.path'),
    binaries: list(doc, 'binaries').map((item, i) => {
      const at = `binaries[${i}]`;
      const b = strict(item, at, ['name', 'anyOf', 'severity', 'why', 'packages']);
      const packages = strict(b.packages, `${at}.packages`, ['debian', 'rhel']);
      return {
        name: text(b.name, `${at}.name`),
        anyOf: strings(b.anyOf, `${at}.anyOf`),
        severity: severity(b.severity, `${at}.severity`),
        why: text(b.why, `${at}.why`),
        packages: {
          debian: text(packages.debian, `${at}.packages.debian`),
          rhel: text(packages.rhel, `${at}.packages.rhel`),
        },
      };
    }),
  };
}

function parseRuntimes(doc: Doc): Record<string, RuntimeSupport> {
  const out: Record<string, RuntimeSupport> = {};
  for (const [name, raw] of Object.entries(record(doc.runtimes, 'runtimes'))) {
    const at = `runtimes.${name}`;
    const r = strict(raw, at, ['source', 'kubernetes', 'sameMinor', 'removedIn', 'removedReason', 'adapter']);
    const entry: RuntimeSupport = { source: text(r.source, `${at}.source`) };
    if (r.kubernetes !== undefined) {
      entry.kubernetes = Object.fromEntries(
        Object.entries(record(r.kubernetes, `${at}.kubernetes`)).map(([minor, ranges]) => [
          minor,
          strings(ranges, `${at}.kubernetes.${minor}`),
        ]),
      );
    }
    if (r.sameMinor !== undefined) entry.sameMinor = r.sameMinor === true;
    if (r.removedIn !== undefined) entry.removedIn = text(r.removedIn, `${at}.removedIn`);
    if (r.removedReason !== undefined) entry.removedReason = text(r.removedReason, `${at}.removedReason`);
    if (r.adapter !== undefined) entry.adapter = text(r.adapter, `${at}.adapter`);
    out[name] = entry;
  }
  return out;
}

function parseSysctl(item: unknown, at: string): SysctlRequirement {
  const s = strict(item, at, ['key', 'value', 'kernelDefault', 'check', 'module']);
  return {
    key: text(s.key, `${at}.key`),
    value: text(s.value, `${at}.value`),
    kernelDefault: text(s.kernelDefault, `${at}.kernelDefault`),
    check: text(s.check, `${at}.check`),
    ...(s.module !== undefined ? { module: text(s.module, `${at}.module`) } : {}),
  };
}

function record(value: unknown, at: string): Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${at}: expected a mapping`);
  return value as Doc;
}

/** A mapping with only the given keys: a typo in a data file is an error, not a silently ignored field. */
function strict(value: unknown, at: string, keys: readonly string[]): Doc {
  const obj = record(value, at);
  const unknown = Object.keys(obj).filter((k) => !keys.includes(k));
  if (unknown.length > 0) throw new Error(`${at}: unknown field(s) ${unknown.join(', ')}`);
  return obj;
}

function list(doc: Doc, key: string): unknown[] {
  const value = doc[key];
  if (!Array.isArray(value)) throw new Error(`${key}: expected a list`);
  return value as unknown[];
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${at}: expected a non-empty string`);
  return value;
}

function strings(value: unknown, at: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${at}: expected a list of strings`);
  return value.map((v, i) => text(v, `${at}[${i}]`));
}

function severity(value: unknown, at: string): Severity {
  if (value !== 'WARN' && value !== 'FAIL') throw new Error(`${at}: expected WARN or FAIL`);
  return value;
}
