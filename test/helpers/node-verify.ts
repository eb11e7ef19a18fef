import { mkdir, writeFile } from 'node:fs/promises';
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
