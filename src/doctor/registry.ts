/**
 * Doctor: node checks (read a root filesystem) and cluster checks (through a narrow ClusterReader), one
 * file each under checks/, listed here; each declares what it needs (`root`, `kube`, `aws`), and run.ts runs
 * a selection, skipping what the run cannot give a check, and reports PASS, WARN, FAIL or SKIP.
 */
import { apiServerCheck } from './checks/api-server.js';
import { awsSecurityGroupsCheck } from './checks/aws-security-groups.js';
import { binariesCheck } from './checks/binaries.js';
import { bridgeNfCallCheck } from './checks/bridge-nf-call.js';
import { brNetfilterCheck } from './checks/br-netfilter.js';
import { cgroupDriverCheck } from './checks/cgroup-driver.js';
import { cniCheck } from './checks/cni.js';
import { dnsAddonCheck } from './checks/dns-addon.js';
import { dnsResolutionCheck } from './checks/dns-resolution.js';
import { firewalldCheck } from './checks/firewalld.js';
import { ipForwardCheck } from './checks/ip-forward.js';
import { nodesReadyCheck } from './checks/nodes-ready.js';
import { overlayModuleCheck } from './checks/overlay-module.js';
import { runtimeVersionCheck } from './checks/runtime-version.js';
import { selinuxModeCheck } from './checks/selinux-mode.js';
import { selinuxOverlayCheck } from './checks/selinux-overlay.js';
import { serviceRoutingCheck } from './checks/service-routing.js';
import { storageDriverCheck } from './checks/storage-driver.js';
import { swapCheck } from './checks/swap.js';
import type { Check } from './types.js';

/** Every check, in report order. */
export const CHECKS: readonly Check[] = [
  storageDriverCheck,
  overlayModuleCheck,
  brNetfilterCheck,
  bridgeNfCallCheck,
  ipForwardCheck,
  cniCheck,
  firewalldCheck,
  selinuxOverlayCheck,
  selinuxModeCheck,
  cgroupDriverCheck,
  runtimeVersionCheck,
  binariesCheck,
  swapCheck,
  apiServerCheck,
  nodesReadyCheck,
  dnsAddonCheck,
  dnsResolutionCheck,
  serviceRoutingCheck,
  awsSecurityGroupsCheck,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

export const checkIds = (): string[] => CHECKS.map((c) => c.id);
