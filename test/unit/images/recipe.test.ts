import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/config/paths.js';
// The build script's helper is plain JavaScript (it runs before the TypeScript build).
import { parseRecipe, recipeHash, shellFields, upstreamVersion } from '../../../scripts/lib/image-recipe.mjs';

const recipes = join(packageRoot, 'data', 'images');
const run = promisify(execFile);

describe('image recipes', () => {
  it('every recipe in data/images parses, with a unique name', async () => {
    const files = (await readdir(recipes)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const names = await Promise.all(
      files.map(async (f) => parseRecipe(await readFile(join(recipes, f), 'utf8'), f).name),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['pause', 'cncfdemo/busybox', 'cncfdemo/ingest-server']));
  });

  it.each([
    ['no build', 'name: a\ntag: {fixed: "1"}\n', /build must be a mapping/],
    ['two builds', 'name: a\nbuild: {debian: [x], busybox: y}\ntag: {fixed: "1"}\n', /exactly one/],
    [
      'unknown field',
      'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1"}\nport: 1\n',
      /unknown field\(s\) port/,
    ],
    ['bad name', 'name: A/B\nbuild: {debian: [x]}\ntag: {fixed: "1"}\n', /not a repository name/],
    [
      'two tag sources',
      'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1", fromPackage: x}\n',
      /tag needs exactly one/,
    ],
    ['bad port', 'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1"}\nconfig: {ports: ["80"]}\n', /8080\/tcp/],
    [
      'relative file',
      'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1"}\nfiles: [{from: a, to: b}]\n',
      /absolute/,
    ],
    ['module tag without go', 'name: a\nbuild: {debian: [x]}\ntag: {fromModule: m}\n', /needs a go build/],
  ])('rejects a recipe with %s, naming the file', (_what, text, message) => {
    expect(() => parseRecipe(text, 'bad.yaml')).toThrow(message);
    expect(() => parseRecipe(text, 'bad.yaml')).toThrow(/^bad\.yaml: /);
  });

  it('turns config into umoci flags, clearing what it sets anew', () => {
    const r = parseRecipe(
      'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1"}\nconfig: {entrypoint: [/x, -v], user: nobody, env: {PORT: 8080}, ports: [53/udp]}\n',
      'a.yaml',
    );
    expect(r.configArgs).toEqual([
      '--clear=config.entrypoint',
      '--config.entrypoint=/x',
      '--config.entrypoint=-v',
      '--config.user=nobody',
      '--config.env=PORT=8080',
      '--config.exposedports=53/udp',
    ]);
  });

  it.each([
    ['1:1.35.0-4+deb12u1+b1', '1.35.0'],
    ['2.42.0+ds-5+b5', '2.42.0'],
    ['18.20.4+dfsg-1~deb12u1', '18.20.4'],
    ['7.20.5+dfsg-1.1', '7.20.5'],
    ['4.1.0-3+b1', '4.1.0'],
    ['1.5.0', '1.5.0'],
  ])('tags Debian version %s as %s', (version, tag) => {
    expect(upstreamVersion(version)).toBe(tag);
  });

  it('prints fields that bash reads back exactly, quotes included', async () => {
    const r = parseRecipe(
      `name: a\nbuild: {debian: [x, y]}\ntag: {fixed: "1"}\nconfig: {cmd: ["it's", "$HOME", "a b"]}\n`,
      'a.yaml',
    );
    const script = `${shellFields(r)}\nprintf '%s\\n' "\${recipe_packages[@]}" "\${recipe_config_args[@]}"`;
    const { stdout } = await run('bash', ['-c', script]);
    expect(stdout.split('\n').slice(0, -1)).toEqual([
      'x',
      'y',
      '--clear=config.cmd',
      "--config.cmd=it's",
      '--config.cmd=$HOME',
      '--config.cmd=a b',
    ]);
  });

  describe('hash (the cache key)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cncfdemo-recipe-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const write = async (name: string, text: string): Promise<string> => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    const hashOf = async (text: string, inputs: string[] = []): Promise<string> => {
      const file = await write('r.yaml', text);
      return recipeHash(file, parseRecipe(text, file), inputs, dir);
    };
    const base = 'name: a\nbuild: {debian: [x]}\ntag: {fixed: "1"}\nfiles: [{from: f.txt, to: /f}]\n';

    it('is stable for the same inputs and changes with the recipe, a copied file or an input', async () => {
      await write('f.txt', 'one');
      const first = await hashOf(base);
      expect(await hashOf(base)).toBe(first);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(await hashOf(`${base}# a comment\n`)).not.toBe(first);
      expect(await hashOf(base, ['=base:1'])).not.toBe(first);
      expect(await hashOf(base, ['=base:2'])).not.toBe(await hashOf(base, ['=base:1']));
      await write('f.txt', 'two');
      expect(await hashOf(base)).not.toBe(first);
    });

    it('frames each input, so moving bytes between inputs changes it', async () => {
      await write('f.txt', 'one');
      expect(await hashOf(base, ['=ab', '=c'])).not.toBe(await hashOf(base, ['=a', '=bc']));
    });
  });
});
