import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portInUse } from '../../../net/ports.js';
import { savedPorts } from './components.js';

const KWOK_YAML = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
components:
  - name: etcd
    ports:
      - { name: peer-http, port: 32759, protocol: TCP }
      - { name: http, port: 32758, protocol: TCP }
  - name: kube-scheduler
  - name: metrics-server
    ports:
      - { name: https, port: 32753, protocol: TCP }
---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options: {}
`;

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

describe('local cluster ports', () => {
  it("lists every component's saved port", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kwok-yaml-'));
    await writeFile(join(dir, 'kwok.yaml'), KWOK_YAML);
    expect(await savedPorts(join(dir, 'kwok.yaml'))).toEqual([
      { component: 'etcd', port: 32759 },
      { component: 'etcd', port: 32758 },
      { component: 'metrics-server', port: 32753 },
    ]);
    await rm(dir, { recursive: true });
  });

  it('tells a port something listens on from a free one', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await portInUse(port)).toBe(true);
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await portInUse(port)).toBe(false);
  });
});
