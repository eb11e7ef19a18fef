import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDoctorData, type DoctorData } from '../../../src/doctor/data.js';
import { nodeContext } from '../../../src/doctor/node/context.js';
import { CHECKS } from '../../../src/doctor/registry.js';
import type { CheckStatus, NodeCheck } from '../../../src/doctor/types.js';
import type { Exec } from '../../../src/exec/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'doctor');
const NODE_CHECKS = CHECKS.filter((c): c is NodeCheck => c.scope === 'node');

/** Fixture trees are not live roots: nothing may be executed for them. */
const noExec: Exec = () => Promise.reject(new Error('fixture roots must not run binaries'));

/** Expected status and an evidence line (regexp) per check, per fixture tree. */
const EXPECTED: Record<string, Record<string, [CheckStatus, RegExp]>> = {
  healthy: {
    'storage-driver': [
      'PASS',
      /containerd: storage driver overlayfs \(snapshotter in \/etc\/containerd\/config.toml\)/,
    ],
    'overlay-module': ['PASS', /overlay is listed in \/etc\/modules-load.d\/k8s.conf/],
    'br-netfilter': ['PASS', /br_netfilter is listed in \/etc\/modules-load.d\/k8s.conf/],
    'bridge-nf-call': [
      'PASS',
      /bridge-nf-call-ip6tables = 1 persisted by \/etc\/sysctl.d\/90-kubernetes.conf/,
    ],
    'ip-forward': ['PASS', /ip_forward = 1 persisted by \/etc\/sysctl.d\/90-kubernetes.conf/],
    cni: ['PASS', /10-bridge.conflist uses plugin\(s\): bridge, portmap/],
    firewalld: ['PASS', /not installed/],
    'selinux-overlay': ['SKIP', /dockerd is not installed/],
    'selinux-mode': ['PASS', /SELinux is not active/],
    'cgroup-driver': ['PASS', /containerd: systemd \(SystemdCgroup = true/],
    'runtime-version': ['PASS', /containerd 2\.1\.4 .*supported for Kubernetes 1\.33/],
    // /usr/sbin/iptables -> /etc/alternatives/iptables -> /usr/sbin/iptables-nft, resolved inside the root
    binaries: ['PASS', /iptables: \/usr\/sbin\/iptables$/],
    swap: ['PASS', /no active swap/],
  },
  'broken-centos7': {
    'storage-driver': [
      'FAIL',
      /\/dev\/loop0 is backed by the file \/var\/lib\/docker\/devicemapper\/devicemapper\/data/,
    ],
    'overlay-module': ['WARN', /overlay is not loaded/],
    'br-netfilter': ['FAIL', /br_netfilter is not loaded/],
    'bridge-nf-call': [
      'FAIL',
      /bridge-nf-call-iptables = 1 only in \/etc\/sysctl.conf.*after boot it is 0 \(from \/usr\/lib\/sysctl.d\/00-system.conf\)/,
    ],
    'ip-forward': ['FAIL', /ip_forward = 0 live, needs 1/],
    cni: ['FAIL', /no loopback plugin/],
    firewalld: ['WARN', /firewalld is running \(pid 733\)/],
    'selinux-overlay': ['PASS', /storage driver devicemapper/],
    'selinux-mode': ['WARN', /enforce = 1 \(enforcing\)/],
    'cgroup-driver': ['FAIL', /docker: cgroupfs \(not configured; dockerd's default on a cgroup v1 host\)/],
    'runtime-version': ['SKIP', /Kubernetes version unknown/],
    binaries: ['FAIL', /conntrack: none of conntrack/],
    swap: ['FAIL', /active swap: \/dev\/dm-1/],
  },
  'broken-overlay-selinux': {
    'storage-driver': [
      'PASS',
      /docker: storage driver overlay \(--storage-driver in \/etc\/sysconfig\/docker-storage\)/,
    ],
    'overlay-module': ['FAIL', /used by: docker/],
    'br-netfilter': ['FAIL', /br_netfilter is not loaded/],
    'bridge-nf-call': ['FAIL', /missing from \/proc\/sys \(br_netfilter not loaded\)/],
    'ip-forward': ['PASS', /persisted by \/etc\/sysctl.d\/90-forward.conf/],
    cni: ['SKIP', /no kubelet under/],
    firewalld: ['PASS', /no firewalld process/],
    'selinux-overlay': ['FAIL', /selinux-enabled=true \(--selinux-enabled in \/etc\/sysconfig\/docker\)/],
    'selinux-mode': ['PASS', /permissive/],
    'cgroup-driver': ['SKIP', /no kubelet under/],
    'runtime-version': ['SKIP', /no kubelet under/],
    binaries: ['PASS', /bridge-utils: \/usr\/sbin\/brctl/],
    swap: ['PASS', /no swap entries/],
  },
  'broken-reboot': {
    'storage-driver': ['PASS', /overlayfs/],
    'overlay-module': ['WARN', /not configured to load at boot/],
    'br-netfilter': ['FAIL', /loaded now but not at boot/],
    'bridge-nf-call': ['FAIL', /only in \/etc\/sysctl.conf/],
    'ip-forward': ['WARN', /after a reboot it is the kernel default 0/],
    cni: ['PASS', /plugin bridge: \/opt\/cni\/bin\/bridge/],
    firewalld: ['WARN', /starts at the next boot/],
    'selinux-overlay': ['SKIP', /dockerd is not installed/],
    'selinux-mode': ['PASS', /not active/],
    'cgroup-driver': ['FAIL', /containerd: cgroupfs \(SystemdCgroup = false/],
    'runtime-version': [
      'FAIL',
      /containerd 1\.6\.20 .*not supported for Kubernetes 1\.33; needs .*>=1\.6\.36 <1\.7\.0/,
    ],
    binaries: ['PASS', /conntrack: \/usr\/sbin\/conntrack/],
    swap: ['WARN', /swap comes back at the next boot/],
  },
};

let data: DoctorData;
beforeAll(async () => {
  data = await loadDoctorData();
});

describe.each(Object.keys(EXPECTED))('fixture %s', (tree) => {
  const expected = EXPECTED[tree] ?? {};

  it('covers every node check', () => {
    expect(Object.keys(expected).sort()).toEqual(NODE_CHECKS.map((c) => c.id).sort());
  });

  it.each(NODE_CHECKS.map((c) => [c.id, c] as const))('%s', async (_id, check) => {
    const [status, evidence] = expected[check.id] ?? ['PASS', /^$/];
    const result = await check.run(nodeContext(join(FIXTURES, tree), noExec, data));
    expect(result.status).toBe(status);
    expect(
      result.evidence.some((line) => evidence.test(line)),
      result.evidence.join('\n'),
    ).toBe(true);
    if (status === 'WARN' || status === 'FAIL') expect(result.remediation).toBeTruthy();
    if (status === 'SKIP') expect(result.evidence[0]).toBeTruthy();
  });
});

describe('pitfall coverage', () => {
  it('every pitfall FAILs in some broken tree, and the healthy tree has no WARN or FAIL', () => {
    const pitfalls = [
      'storage-driver',
      'overlay-module',
      'selinux-overlay',
      'br-netfilter',
      'bridge-nf-call',
      'ip-forward',
      'cni',
      'binaries',
      'swap',
      'cgroup-driver',
      'runtime-version',
    ];
    for (const id of pitfalls) {
      const failing = Object.entries(EXPECTED).filter(
        ([tree, checks]) => tree.startsWith('broken') && checks[id]?.[0] === 'FAIL',
      );
      expect(failing.length, id).toBeGreaterThan(0);
    }
    // Warnings by design (the seeds call these risks, not breakage).
    expect(EXPECTED['broken-centos7']?.['selinux-mode']?.[0]).toBe('WARN');
    expect(EXPECTED['broken-centos7']?.firewalld?.[0]).toBe('WARN');
    expect(Object.values(EXPECTED.healthy ?? {}).every(([s]) => s === 'PASS' || s === 'SKIP')).toBe(true);
  });
});
