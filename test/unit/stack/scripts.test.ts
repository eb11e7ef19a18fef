import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/config/paths.js';

/** The JavaScript the stack ships as data: mongosh scripts (run by the init Jobs) and Countly's config files. */
const folders = ['manifests/apps/mongo/scripts', 'manifests/apps/countly/config'];

describe('JavaScript shipped in ConfigMaps', () => {
  it.each(folders)('%s parses', async (folder) => {
    const files = (await readdir(join(packageRoot, folder))).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = await readFile(join(packageRoot, folder, file), 'utf8');
      expect(() => new Script(source, { filename: file }), file).not.toThrow();
    }
  });

  it('points Countly at the mongos Service, and keeps the session secret out of the files', async () => {
    for (const file of ['api.js', 'frontend.js']) {
      const source = await readFile(join(packageRoot, 'manifests/apps/countly/config', file), 'utf8');
      expect(source).toMatch(/host: "mongos"/);
      expect(source).not.toMatch(/session_secret: "/);
    }
  });
});
