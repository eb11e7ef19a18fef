import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../../src/exec/index.js';
import type { NodeArtefacts } from '../../src/cluster/node/render.js';

/** The part's validation by Debian's cloud-init; resolves to its stdout ("Valid cloud-config: ..."). */
export async function cloudInitSchema(file: string, content: string): Promise<string> {
  await writeFile(file, content);
  return (await exec('cloud-init', ['schema', '--config-file', file])).stdout;
}

/**
 * Writes the artefacts' units and drop-ins under `dir` and runs `systemd-analyze verify` on every unit;
 * resolves to its stderr (it exits 0 on an unknown key, so stderr is what tells).
 */
export async function verifyUnits(artefacts: Pick<NodeArtefacts, 'files'>, dir: string): Promise<string> {
  const unitDir = join(dir, 'units');
  for (const f of artefacts.files.filter((x) => x.path.startsWith('/etc/systemd/system/'))) {
    const target = join(unitDir, f.path.slice('/etc/systemd/system/'.length));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  const units = artefacts.files
    .filter((f) => /^\/etc\/systemd\/system\/[^/]+\.service$/.test(f.path))
    .map((f) => join(unitDir, f.path.slice('/etc/systemd/system/'.length)));
  // The trailing ':' keeps systemd's own unit path (network-online.target, multi-user.target).
  const result = await exec('systemd-analyze', ['verify', ...units], {
    env: { ...process.env, SYSTEMD_UNIT_PATH: `${unitDir}:` },
  });
  return result.stderr;
}

/**
 * Runs the node script's own address choice (its INVENTORY_IP line and node_ip function, nothing else of
 * it) with a fake `ip` on PATH whose default route has source 192.0.2.99; resolves to the address chosen
 * and whether the route was asked.
 */
export async function nodeIpOf(script: string, dir: string): Promise<{ ip: string; askedRoute: boolean }> {
  const assignment = /^INVENTORY_IP=.*$/m.exec(script)?.[0];
  const fn = /^node_ip\(\) \{\n[\s\S]*?\n\}$/m.exec(script)?.[0];
  if (!assignment || !fn) throw new Error('the node script has no INVENTORY_IP and node_ip()');
  const bin = join(dir, 'bin');
  const asked = join(dir, 'asked-route');
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, 'ip'),
    `#!/bin/sh\ntouch '${asked}'\necho '1.1.1.1 via 192.0.2.1 dev eth0 src 192.0.2.99 uid 0'\n`,
    { mode: 0o755 },
  );
  const { stdout } = await exec('bash', ['-euo', 'pipefail', '-c', `${assignment}\n${fn}\nnode_ip`], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  const askedRoute = await stat(asked).then(
    () => true,
    () => false,
  );
  return { ip: stdout.trim(), askedRoute };
}

/** `bash -n`: the script parses. */
export async function bashSyntax(file: string, content: string): Promise<void> {
  await writeFile(file, content);
  await exec('bash', ['-n', file]);
}
