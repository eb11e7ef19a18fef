import { clusterCheck } from '../types.js';
import { runInClusterProbe } from './in-cluster-probe.js';

export const serviceRoutingCheck = clusterCheck({
  id: 'service-routing',
  title: 'A Service routes to its endpoints (by ClusterIP)',
  area: 'cluster',
  needs: ['kube'],
  run: (ctx) =>
    runInClusterProbe(
      ctx,
      {
        name: 'route',
        image: ctx.probeImage,
        // By IP, not name: separates routing (bridge-nf-call, kube-proxy) from DNS problems.
        script:
          // `timeout` rather than wget's own -T: Debian's static busybox crashes on -T.
          'for i in 1 2 3 4 5; do timeout 5 wget -q -O - "http://$PROBE_SERVICE_HOST:8080/" | grep -q cncfdemo-probe && exit 0; sleep 2; done; exit 1',
        service: {
          image: ctx.probeImage,
          command: [
            'sh',
            '-c',
            'mkdir -p /www && echo cncfdemo-probe > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
          port: 8080,
        },
        timeoutSeconds: 180,
      },
      {
        what: 'Service-to-endpoint routing',
        needsDns: false,
        remediation:
          'Run `cncfdemo doctor` on the nodes: br_netfilter and bridge-nf-call-iptables = 1 are needed for kube-proxy rules to see bridged pod traffic; check kube-proxy logs.',
      },
    ),
});
