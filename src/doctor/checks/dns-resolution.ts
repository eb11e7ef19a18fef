import { clusterCheck } from '../types.js';
import { runInClusterProbe } from './in-cluster-probe.js';

/** The default image of in-cluster probes; `doctor --probe-image` replaces it (e.g. offline). */
export const PROBE_IMAGE = 'busybox:1.36';

export const dnsResolutionCheck = clusterCheck({
  id: 'dns-resolution',
  title: 'A pod resolves a Service name through cluster DNS',
  area: 'cluster',
  needs: ['kube'],
  run: (ctx) =>
    runInClusterProbe(
      ctx,
      {
        name: 'dns',
        image: ctx.probeImage,
        script: 'nslookup kubernetes.default.svc.cluster.local',
        timeoutSeconds: 120,
      },
      {
        what: 'Service name resolution from a pod',
        needsDns: true,
        remediation:
          'Check the DNS pods (`kubectl -n kube-system logs deploy/coredns`), SELinux on the nodes (selinux-mode) and that pods reach the DNS Service (service-routing, bridge-nf-call).',
      },
    ),
});
