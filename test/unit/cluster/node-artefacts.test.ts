import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NODE_ROLES,
  renderNodeArtefacts,
  type NodeArtefacts,
  type NodeValues,
} from '../../../src/cluster/node/render.js';
import { bashSyntax, cloudInitSchema, nodeIpOf, verifyUnits } from '../../helpers/node-verify.js';

/** Validated offline with the real tools: Debian's cloud-init and systemd's unit verifier. */
const VALUES: Record<NodeValues['provider'], NodeValues> = {
  aws: {
    provider: 'aws',
    cluster: 'demo',
    apiHost: 'masters.demo.k8s',
    userApiHost: 'demo-api-0123.elb.us-east-1.amazonaws.com',
    certSans: ['demo-api-0123.elb.us-east-1.amazonaws.com'],
    kubernetesMinor: '1.34',
    region: 'us-east-1',
    secretsPath: '/cncfdemo/demo',
  },
  metal: {
    provider: 'metal',
    cluster: 'rack',
    apiHost: 'masters.rack.k8s',
    userApiHost: 'masters.rack.k8s',
    certSans: [],
    kubernetesMinor: '1.34',
    secretsPath: '/etc/cncfdemo/secrets',
  },
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-node-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each(Object.keys(VALUES) as NodeValues['provider'][])('%s node artefacts', (provider) => {
  describe.each(NODE_ROLES)('%s', (role) => {
    let artefacts: NodeArtefacts;
    beforeAll(async () => {
      artefacts = await renderNodeArtefacts(role, VALUES[provider]);
    });

    it('every user-data part is valid cloud-config (cloud-init schema)', async () => {
      for (const part of artefacts.parts) {
        const file = join(scratch, `${provider}-${role}-${part.name}.yaml`);
        expect(await cloudInitSchema(file, part.content)).toContain('Valid cloud-config');
      }
    });

    it('writes its role file and every unit with its drop-in', () => {
      const text = artefacts.parts.map((p) => p.content).join('\n');
      const roleFile = `/etc/sysconfig/kubernetes-${role}`;
      expect(artefacts.roleFile).toBe(roleFile);
      expect(text).toContain(`path: ${roleFile}`);
      const other = `/etc/sysconfig/kubernetes-${role === 'master' ? 'minion' : 'master'}`;
      expect(text).not.toContain(`path: ${other}`);
      const dropIns = artefacts.files.filter((f) => f.path.endsWith('.service.d/role.conf'));
      expect(dropIns.map((f) => f.path).sort()).toEqual([
        '/etc/systemd/system/cncfdemo-control-plane.service.d/role.conf',
        '/etc/systemd/system/cncfdemo-worker.service.d/role.conf',
      ]);
      expect(dropIns.map((f) => /ConditionPathExists=(\S+)/.exec(f.content)?.[1]).sort()).toEqual([
        '/etc/sysconfig/kubernetes-master',
        '/etc/sysconfig/kubernetes-minion',
      ]);
      for (const f of artefacts.files) expect(text).toContain(`path: ${f.path}`);
    });

    it('every unit and drop-in passes systemd-analyze verify with nothing on stderr', async () => {
      const dir = join(scratch, `${provider}-${role}`);
      expect(await verifyUnits(artefacts, dir)).toBe('');
    });

    it('joins through the masters name and writes the sentinel, with no secret in the user-data', () => {
      const script = artefacts.files.find((f) => f.path === '/usr/local/sbin/cncfdemo-node')?.content ?? '';
      expect(script).toContain(`API_HOST="${VALUES[provider].apiHost}"`);
      expect(script).toContain('kubeadm init --config');
      expect(script).toContain('kubeadm join --config');
      expect(script).toContain('/run/cluster-api/bootstrap-success.complete');
      expect(artefacts.userData).not.toMatch(/[a-z0-9]{6}\.[a-z0-9]{16}/);
    });

    it('assembles the parts as one MIME multipart, the same bytes each time', async () => {
      expect(artefacts.userData).toMatch(/^Content-Type: multipart\/mixed; boundary="([^"]+)"/);
      expect(artefacts.userData).toContain('Content-Type: text/cloud-config');
      const again = await renderNodeArtefacts(role, VALUES[provider]);
      expect(again.userData).toBe(artefacts.userData);
    });
  });
});

describe('the metal node script', () => {
  const script = async (values: NodeValues): Promise<string> =>
    (await renderNodeArtefacts('minion', values)).files.find(
      (f) => f.path === '/usr/local/sbin/cncfdemo-node',
    )?.content ?? '';

  it("parses (bash -n), and takes the host's address when the seed gives one", async () => {
    const text = await script({ ...VALUES.metal, nodeAddress: '10.0.0.21' });
    await bashSyntax(join(scratch, 'metal-node.sh'), text);
    expect(await nodeIpOf(text, join(scratch, 'ip-given'))).toEqual({ ip: '10.0.0.21', askedRoute: false });
  });

  it('falls back to the source address of the default route only when the seed gives none', async () => {
    expect(await nodeIpOf(await script(VALUES.metal), join(scratch, 'ip-none'))).toEqual({
      ip: '192.0.2.99',
      askedRoute: true,
    });
  });
});

describe('the verifier catches what it must', () => {
  it('an unknown key in a drop-in shows on stderr even though systemd-analyze exits 0', async () => {
    const artefacts = await renderNodeArtefacts('minion', VALUES.aws);
    const broken: NodeArtefacts = {
      ...artefacts,
      files: artefacts.files.map((f) =>
        f.path.endsWith('worker.service.d/role.conf') ? { ...f, content: `${f.content}Conditon=typo\n` } : f,
      ),
    };
    expect(await verifyUnits(broken, join(scratch, 'broken'))).toMatch(/Unknown key 'Conditon'/);
  });
});
