import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import { bashSyntax, cloudInitSchema, nodeIpOf, verifyUnits } from '../../helpers/node-verify.js';
import { isOneLineError, runCli, type CliResult } from '../../helpers/cli.js';

/** `bootstrap metal` end to end in-process: the seeds it writes, validated with the real tools. */
const INVENTORY = join(packageRoot, 'test', 'fixtures', 'metal', 'hosts.yaml');
const HOSTS = { m1: 'master', n1: 'minion', n2: 'minion' } as const;
/** Each host's address in the fixture inventory. */
const ADDRESSES = { m1: '10.0.0.11', n1: '10.0.0.21', n2: 'fd00::22' } as const;

let home: string;
let out: string;
let env: NodeJS.ProcessEnv;
let first: CliResult;

/** Every file under dir, relative, with its contents. */
async function tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f.slice(dir.length + 1), await readFile(f, 'utf8')] as const)),
  );
}

/** The parts of a MIME multipart user-data document, as cloud-init splits them. */
function mimeParts(userData: string): { type: string; body: string }[] {
  const boundary = /boundary="([^"]+)"/.exec(userData)?.[1] ?? '';
  expect(boundary).not.toBe('');
  return userData
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [headers = '', ...body] = chunk.replace(/^\n/, '').split('\n\n');
      return { type: /Content-Type: ([^;\n]+)/.exec(headers)?.[1] ?? '', body: body.join('\n\n') };
    });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-metal-'));
  out = join(home, 'seeds');
  env = { ...process.env, CNCFDEMO_HOME: join(home, 'home'), KUBECONFIG: join(home, 'kubeconfig') };
  first = await runCli(['bootstrap', 'metal', '--inventory', INVENTORY, '--out', out], env);
}, 60_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('bootstrap metal', () => {
  it('is a recorded run whose phases are the secrets and the seeds (what the web UI shows)', async () => {
    const runs = await readdir(join(home, 'home', 'runs'));
    const run = runs.find((r) => r.includes('-cluster-create-'));
    expect(run).toBeDefined();
    const events = (await readFile(join(home, 'home', 'runs', run ?? '', 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; phase: string; outcome?: string });
    expect(events.filter((e) => e.phase === 'end').map((e) => [e.id, e.outcome])).toEqual([
      ['secrets', 'ok'],
      ['seeds', 'ok'],
    ]);
  });

  it('writes a seed per host and says where, and that the kubeconfig waits for the machines', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(
      first.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(Object.keys(HOSTS));
    expect(first.stderr).toContain(`a NoCloud seed per host in ${out}`);
    expect(first.stderr).toContain('https://masters.rack.k8s:6443');
    expect(first.stderr).toContain('not available until');
  });

  it.each(Object.entries(HOSTS))(
    '%s: every user-data part is valid cloud-config, its units verify',
    async (host, role) => {
      const userData = await readFile(join(out, host, 'user-data'), 'utf8');
      const parts = mimeParts(userData);
      expect(parts.map((p) => p.type)).toEqual(['text/cloud-config']);
      for (const [i, part] of parts.entries()) {
        expect(await cloudInitSchema(join(home, `${host}-${String(i)}.yaml`), part.body)).toContain(
          'Valid cloud-config',
        );
        const config = parse(part.body) as { write_files: { path: string; content: string }[] };
        const paths = config.write_files.map((f) => f.path);
        expect(paths).toContain(`/etc/sysconfig/kubernetes-${role}`);
        expect(paths.filter((p) => p.endsWith('.service') || p.endsWith('.conf')).length).toBeGreaterThan(3);
        const stderr = await verifyUnits(
          { files: config.write_files.map((f) => ({ ...f, permissions: '0644' })) },
          join(home, `units-${host}`),
        );
        expect(stderr).toBe('');
        const script =
          config.write_files.find((f) => f.path === '/usr/local/sbin/cncfdemo-node')?.content ?? '';
        expect(script).toContain('API_HOST="masters.rack.k8s"');
        expect(script).toContain('SECRETS="/etc/cncfdemo/secrets"');
        await bashSyntax(join(home, `${host}-${String(i)}.sh`), script);
      }
    },
  );

  it.each(Object.entries(ADDRESSES))(
    "%s: the node script advertises the inventory's address (%s), not its default route's",
    async (host, address) => {
      const config = parse(
        mimeParts(await readFile(join(out, host, 'user-data'), 'utf8'))[0]?.body ?? '',
      ) as {
        write_files: { path: string; content: string }[];
      };
      const script =
        config.write_files.find((f) => f.path === '/usr/local/sbin/cncfdemo-node')?.content ?? '';
      expect(await nodeIpOf(script, join(home, `ip-${host}`))).toEqual({ ip: address, askedRoute: false });
    },
  );

  it.each(Object.keys(HOSTS))('%s: meta-data names the instance and its hostname', async (host) => {
    const meta = parse(await readFile(join(out, host, 'meta-data'), 'utf8')) as Record<string, unknown>;
    expect(meta).toEqual({ 'instance-id': `rack-${host}`, 'local-hostname': host });
  });

  it("network-config: m1's static address on its MAC, as cloud-init's own parser reads it; DHCP for the others", async () => {
    // cloud-init 22.4 has no network-config schema command: its network-state parser is the check.
    const script = [
      'import sys, json, yaml',
      'from cloudinit.net.network_state import parse_net_config_data',
      'ns = parse_net_config_data(yaml.safe_load(open(sys.argv[1])))',
      'print(json.dumps([{"mac": i.get("mac_address"), "subnets": i["subnets"]} for i in ns.iter_interfaces()], default=str))',
    ].join('\n');
    const { stdout } = await exec('/usr/bin/python3', ['-c', script, join(out, 'm1', 'network-config')]);
    const [iface] = JSON.parse(stdout) as { mac: string; subnets: Record<string, unknown>[] }[];
    expect(iface?.mac).toBe('52:54:00:00:00:11');
    expect(iface?.subnets[0]).toMatchObject({
      type: 'static',
      address: '10.0.0.11',
      prefix: 24,
      dns_nameservers: ['10.0.0.1'],
    });
    expect(JSON.stringify(iface?.subnets[0]?.routes)).toContain('10.0.0.1');
    await expect(stat(join(out, 'n1', 'network-config'))).rejects.toThrow(/ENOENT/);
  });

  it('secrets are 0600 in 0700 directories, each host only what its role needs', async () => {
    const secretsOf = async (host: string) => (await readdir(join(out, host, 'secrets'))).sort();
    expect(await secretsOf('m1')).toEqual([
      'ca-cert-hash',
      'ca.crt',
      'ca.key',
      'certificate-key',
      'init-host',
      'join-token',
    ]);
    expect(await secretsOf('n1')).toEqual(['ca-cert-hash', 'join-token']);
    for (const host of Object.keys(HOSTS)) {
      expect((await stat(join(out, host, 'secrets'))).mode & 0o777).toBe(0o700);
      for (const f of await secretsOf(host)) {
        expect((await stat(join(out, host, 'secrets', f))).mode & 0o777).toBe(0o600);
      }
    }
    expect(await readFile(join(out, 'm1', 'secrets', 'join-token'), 'utf8')).toMatch(
      /^[a-z0-9]{6}\.[a-z0-9]{16}\n$/,
    );
    expect(await readFile(join(out, 'n1', 'secrets', 'ca-cert-hash'), 'utf8')).toMatch(
      /^sha256:[0-9a-f]{64}\n$/,
    );
  });

  it('no secret value is in any user-data, meta-data or the command output', async () => {
    const files = await tree(out);
    const secrets = Object.entries(files)
      .filter(
        ([path]) => path.includes('/secrets/') && !path.endsWith('init-host') && !path.endsWith('ca.crt'),
      )
      .map(([, text]) => text.trim());
    expect(secrets.length).toBe(8);
    const open = Object.entries(files).filter(([path]) => !path.includes('/secrets/'));
    expect(open.length).toBe(7);
    for (const secret of secrets) {
      for (const [path, text] of open) expect(text.includes(secret), path).toBe(false);
      expect(first.stdout + first.stderr).not.toContain(secret);
    }
  });

  it('running again converges: the same files, the same token; cluster list shows it as metal', async () => {
    const before = await tree(out);
    const again = await runCli(['bootstrap', 'metal', '--inventory', INVENTORY, '--out', out], env);
    expect(again.code, again.stderr).toBe(0);
    expect(await tree(out)).toEqual(before);
    const list = await runCli(['cluster', 'list'], env);
    expect(list.stdout).toMatch(/^rack\s+metal\s+Running\s+cncfdemo-rack$/m);
  });

  it('kubeconfig is refused in one line until the operator boots the machines', async () => {
    const result = await runCli(['cluster', 'kubeconfig', '--name', 'rack'], env);
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('not available until the operator boots the machines');
  });

  it('a bad inventory fails in one line naming the file; nothing is written', async () => {
    const bad = join(home, 'bad.yaml');
    await writeFile(bad, (await readFile(INVENTORY, 'utf8')).replace('role: master', 'role: boss'));
    const result = await runCli(
      ['bootstrap', 'metal', '--inventory', bad, '--out', join(home, 'bad-out')],
      env,
    );
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(`${bad}: hosts[0].role: must be one of master, minion`);
    await expect(stat(join(home, 'bad-out'))).rejects.toThrow(/ENOENT/);
  });

  it('cluster delete removes what bootstrap wrote, and only that', async () => {
    await writeFile(join(out, 'operator-notes.txt'), 'mine\n');
    await cp(join(out, 'n1', 'meta-data'), join(out, 'n1', 'meta-data.bak'));
    const result = await runCli(['cluster', 'delete', '--name', 'rack'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(await tree(out)).sort()).toEqual(['n1/meta-data.bak', 'operator-notes.txt']);
    expect(await readdir(join(home, 'home', 'clusters'))).toEqual([]);
    expect((await runCli(['cluster', 'list'], env)).stdout).not.toContain('rack');
  });
});
