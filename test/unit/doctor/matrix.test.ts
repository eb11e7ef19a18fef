import { describe, expect, it } from 'vitest';
import { verdict } from '../../../src/doctor/checks/runtime-version.js';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCTOR_DATA_DIR, loadDoctorData } from '../../../src/doctor/data.js';

const data = await loadDoctorData();
const none = (): Promise<string | undefined> => Promise.resolve(undefined);

describe('runtime support matrix (data/doctor/runtime-support.yaml)', () => {
  it.each([
    ['containerd', '2.1.4', '1.33.5', 'PASS'],
    ['containerd', '1.7.24', '1.33.0', 'PASS'],
    ['containerd', '1.7.23', '1.33.0', 'FAIL'],
    ['containerd', '1.6.35', '1.32.1', 'FAIL'],
    ['containerd', '1.6.36', '1.32.1', 'PASS'],
    ['containerd', '1.5.18', '1.26.0', 'FAIL'],
    ['containerd', '2.1.4', '1.99.0', 'WARN'],
    // The seed: Docker 1.12 was not yet supported by Kubernetes 1.4; 1.11 was.
    ['docker', '1.12.6', '1.4.6', 'FAIL'],
    ['docker', '1.11.2', '1.4.6', 'PASS'],
    ['docker', '27.3.1', '1.30.0', 'FAIL'],
    ['cri-o', '1.31.2', '1.31.4', 'PASS'],
    ['cri-o', '1.30.2', '1.31.4', 'FAIL'],
  ])('%s %s with Kubernetes %s: %s', async (runtime, version, k8s, status) => {
    const support = data.runtimes[runtime];
    if (!support) throw new Error(`no ${runtime} in the matrix`);
    const result = await verdict(support, runtime, version, k8s, `${runtime} ${version}`, none);
    expect(result.status).toBe(status);
  });

  it('accepts dockerd after dockershim removal only through cri-dockerd', async () => {
    const support = data.runtimes.docker;
    if (!support) throw new Error('no docker in the matrix');
    const withAdapter = await verdict(support, 'docker', '27.3.1', '1.30.0', 'docker 27.3.1', (name) =>
      Promise.resolve(name === 'cri-dockerd' ? '/usr/bin/cri-dockerd' : undefined),
    );
    expect(withAdapter.status).toBe('PASS');
    expect(withAdapter.evidence.join('\n')).toMatch(/served through \/usr\/bin\/cri-dockerd/);
    const without = await verdict(support, 'docker', '27.3.1', '1.30.0', 'docker 27.3.1', none);
    expect(without.evidence.join('\n')).toMatch(/dockershim was removed/);
  });

  it('rejects a data file with unknown fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'doctor-data-'));
    for (const f of ['runtime-support.yaml', 'sysctls.yaml'])
      await copyFile(join(DOCTOR_DATA_DIR, f), join(dir, f));
    await writeFile(
      join(dir, 'binaries.yaml'),
      'apiVersion: cncfdemo.io/v1alpha1\nkind: DoctorBinaries\npath: [/bin]\nbinaries:\n  - {name: x, anyOf: [x], severity: FAIL, why: y, packages: {debian: x, rhel: x}, sevrity: WARN}\n',
    );
    await expect(loadDoctorData(dir)).rejects.toThrow(
      /binaries\.yaml: \/binaries\/0 must NOT have additional properties \("sevrity"\)/,
    );
  });
});
