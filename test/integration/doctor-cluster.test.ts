import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/api/doctor.js';
import { kubeClusterReader } from '../../src/doctor/cluster/kube-reader.js';
import { EventStream, type RunEvent } from '../../src/events/index.js';
import { kubectl, testCluster, useNamespace } from './harness.js';

/** No AWS settings leak in from the developer's shell: the AWS check must SKIP here. */
function envWithoutAws(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
}

describe('doctor --cluster against the local cluster (real control plane, kwok nodes)', () => {
  const ns = useNamespace('doctor');

  it('passes the API and node checks and skips, with reasons, what simulated nodes cannot do', async () => {
    const { kubeconfig, context } = testCluster();
    const events: RunEvent[] = [];
    const stream = new EventStream();
    stream.subscribe((e) => events.push(e));
    const report = await runDoctor({
      cluster: true,
      kubeconfig,
      context,
      env: envWithoutAws(),
      events: stream,
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));

    expect(byId['api-server']?.status).toBe('PASS');
    expect(byId['api-server']?.evidence[0]).toMatch(
      new RegExp(`^context "${context}" \\(https://127\\.0\\.0\\.1:\\d+\\): Kubernetes v1\\.34\\.`),
    );
    expect(byId['nodes-ready']?.status).toBe('PASS');
    expect(byId['nodes-ready']?.evidence[0]).toMatch(/^(\d+)\/\1 nodes Ready \(\1 simulated by kwok\)$/);
    // The local cluster installs no DNS add-on; if a test installed one it must be rolled out.
    expect(['SKIP', 'PASS']).toContain(byId['dns-addon']?.status);
    for (const id of ['dns-resolution', 'service-routing']) {
      expect(byId[id]?.status, id).toBe('SKIP');
      expect(byId[id]?.evidence[0], id).toMatch(/simulated by kwok .*pods run no containers/);
    }
    expect(byId['aws-security-groups']).toMatchObject({
      status: 'SKIP',
      evidence: [expect.stringMatching(/no AWS region configured/)],
    });

    // One start and one end event per check, in scope "doctor".
    for (const c of report.checks) {
      expect(events.filter((e) => e.scope === 'doctor' && e.id === c.id).map((e) => e.phase)).toEqual([
        'start',
        'progress',
        'end',
      ]);
    }
  });

  it('reads a Deployment rollout through the kube layer', async () => {
    const { kubeconfig, context } = testCluster();
    await kubectl([
      '-n',
      ns.name,
      'create',
      'deployment',
      'web',
      '--image=registry.k8s.io/pause:3.10',
      '--replicas=2',
    ]);
    await kubectl(['-n', ns.name, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const reader = await kubeClusterReader({ kubeconfig, context });
    try {
      expect(await reader.getDeployment(ns.name, 'web')).toEqual({
        name: 'web',
        namespace: ns.name,
        desired: 2,
        updated: 2,
        ready: 2,
        available: 2,
        observed: true,
      });
      expect(await reader.getDeployment(ns.name, 'missing')).toBeUndefined();
    } finally {
      reader.close();
    }
  });

  it('runs a probe (server Deployment + Service + Job) end to end and deletes its namespace', async () => {
    const { kubeconfig, context } = testCluster();
    const reader = await kubeClusterReader({ kubeconfig, context });
    try {
      // kwok completes Jobs without running them: this exercises the object life cycle, not DNS or routing.
      const outcome = await reader.runProbe({
        name: 'it',
        image: 'busybox:1.36',
        script: 'true',
        service: { image: 'busybox:1.36', command: ['sh', '-c', 'true'], port: 8080 },
        timeoutSeconds: 60,
        placement: 'any-node',
      });
      expect(outcome).toMatchObject({ succeeded: true, detail: 'Job completed' });
    } finally {
      reader.close();
    }
    const left = await kubectl([
      'get',
      'namespaces',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}',
    ]);
    for (const line of left.split('\n').filter((l) => l.startsWith('cncfdemo-doctor-it-')))
      expect(line).toMatch(/ Terminating$/);
  });
});
