import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../config/paths.js';
import { UserError } from '../../../errors/index.js';
import { parseInventory, readInventory } from './inventory.js';

const FIXTURE = join(packageRoot, 'test', 'fixtures', 'metal', 'hosts.yaml');
const HEAD =
  'apiVersion: cncfdemo.io/v1alpha1\nkind: MetalInventory\ncluster: rack\nendpoint: masters.rack.k8s\n';
const M1 = '  - {name: m1, role: master, address: 10.0.0.11}\n';
const N1 = '  - {name: n1, role: minion, address: 10.0.0.21}\n';

function problem(text: string): string {
  try {
    parseInventory(text, 'hosts.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the inventory was accepted');
}

describe('the metal inventory', () => {
  it('reads the example: cluster, endpoint and each host with its role and address', async () => {
    const inventory = await readInventory(FIXTURE);
    expect(inventory.cluster).toBe('rack');
    expect(inventory.endpoint).toBe('masters.rack.k8s');
    expect(inventory.hosts.map((h) => `${h.name}/${h.role}/${h.address}`)).toEqual([
      'm1/master/10.0.0.11',
      'n1/minion/10.0.0.21',
      'n2/minion/fd00::22',
    ]);
    expect(inventory.hosts[0]?.mac).toBe('52:54:00:00:00:11');
    expect(inventory.network).toEqual({ prefixLength: 24, gateway: '10.0.0.1', nameservers: ['10.0.0.1'] });
  });

  it('takes an address as the endpoint', () => {
    expect(
      parseInventory((HEAD + 'hosts:\n' + M1 + N1).replace('masters.rack.k8s', '10.0.0.10'), 'f').endpoint,
    ).toBe('10.0.0.10');
  });

  it.each([
    ['an unknown key', HEAD + 'hosts:\n' + M1 + N1 + 'extra: 1\n', 'hosts.yaml: unknown key "extra"'],
    [
      'an unknown host key (sshUser is not needed)',
      HEAD + 'hosts:\n  - {name: m1, role: master, address: 10.0.0.11, sshUser: root}\n' + N1,
      'hosts.yaml: hosts[0]: unknown key "sshUser"',
    ],
    [
      'a duplicate name',
      HEAD + 'hosts:\n' + M1 + N1 + N1.replace('.21', '.22'),
      'hosts[2]: duplicate name "n1" (also hosts[1])',
    ],
    [
      'a duplicate address',
      HEAD + 'hosts:\n' + M1 + N1 + N1.replace('n1', 'n2'),
      'hosts[2]: duplicate address "10.0.0.21" (also hosts[1])',
    ],
    ['no master', HEAD + 'hosts:\n' + N1, 'no host has role master'],
    ['no minion', HEAD + 'hosts:\n' + M1, 'no host has role minion'],
    [
      'a bad role',
      HEAD + 'hosts:\n' + M1 + N1.replace('minion', 'worker'),
      'hosts[1].role: must be one of master, minion (got "worker")',
    ],
    [
      'a bad address',
      HEAD + 'hosts:\n' + M1 + N1.replace('10.0.0.21', '10.0.0.300'),
      'hosts[1].address: "10.0.0.300" is not an IPv4 or IPv6 address',
    ],
    [
      'a name that is not a DNS label',
      HEAD + 'hosts:\n' + M1 + N1.replace('n1', 'Node_1'),
      `hosts[1].name: "Node_1" is not a DNS label`,
    ],
    [
      'a bad MAC',
      HEAD + 'hosts:\n' + M1 + N1.replace('}', ', mac: "52:54"}'),
      'hosts[1].mac: "52:54" is not a MAC address',
    ],
    [
      'a bad endpoint',
      HEAD.replace('masters.rack.k8s', '"not a name"') + 'hosts:\n' + M1 + N1,
      'endpoint: "not a name" is not a DNS name',
    ],
    [
      'a bad gateway',
      HEAD + 'network: {prefixLength: 24, gateway: 10.0.0}\nhosts:\n' + M1 + N1,
      'network.gateway: "10.0.0" is not an IPv4 or IPv6 address',
    ],
    [
      'a network without its prefix',
      HEAD + 'network: {gateway: 10.0.0.1}\nhosts:\n' + M1 + N1,
      'network: missing "prefixLength"',
    ],
    [
      'a missing host address',
      HEAD + 'hosts:\n' + M1 + '  - {name: n1, role: minion}\n',
      'hosts[1]: missing "address"',
    ],
    [
      'another kind',
      HEAD.replace('MetalInventory', 'Inventory') + 'hosts:\n' + M1 + N1,
      'kind: must be MetalInventory (got "Inventory")',
    ],
    ['no hosts', HEAD + 'hosts: []\n', 'hosts: lists no host'],
    ['not YAML', 'hosts: [\n', 'hosts.yaml: not YAML'],
    ['not a mapping', '- a\n', 'hosts.yaml: not a mapping'],
  ])('rejects %s in one line naming the file', (_, text, expected) => {
    const message = problem(text);
    expect(message).toContain(expected);
    expect(message.startsWith('hosts.yaml: ')).toBe(true);
  });

  it('reports every problem at once', () => {
    const message = problem(
      HEAD + 'hosts:\n' + M1.replace('master', 'boss') + N1.replace('10.0.0.21', 'x') + 'extra: 1\n',
    );
    expect(message).toContain('unknown key "extra"');
    expect(message).toContain('hosts[0].role');
    expect(message).toContain('hosts[1].address');
  });

  it('names an unreadable file', async () => {
    await expect(readInventory('/nonexistent/hosts.yaml')).rejects.toThrow(
      /^\/nonexistent\/hosts\.yaml: cannot read the inventory \(ENOENT\)$/,
    );
  });

  it('the fixture is what README shows', async () => {
    expect(await readFile(join(packageRoot, 'README.md'), 'utf8')).toContain(await readFile(FIXTURE, 'utf8'));
  });
});
