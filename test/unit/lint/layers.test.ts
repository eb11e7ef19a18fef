import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** A tree laid out like src/ whose files break (or keep) the layer rules; `npm run lint` ignores it. */
const FIXTURE = fileURLToPath(new URL('../../fixtures/lint/', import.meta.url));

/** Lints the fixture tree with the project's layer rules alone (no type information needed for them). */
async function lintFixtures(): Promise<Map<string, string[]>> {
  const config = (await import('../../../eslint.config.js')) as { layers: Linter.Config[] };
  const eslint = new ESLint({
    cwd: FIXTURE,
    overrideConfigFile: true,
    overrideConfig: [{ languageOptions: { parser: tseslint.parser } }, ...config.layers],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return new Map(
    results.map((r) => [
      r.filePath.slice(FIXTURE.length),
      r.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`),
    ]),
  );
}

describe('layer rules (eslint.config.js)', async () => {
  const messages = await lintFixtures();

  it.each([
    [
      'src/cli/commands/imports-capability.ts',
      'no-restricted-imports',
      'the CLI calls the library through src/api/',
    ],
    ['src/bench/imports-api.ts', 'no-restricted-imports', 'capabilities sit below src/api/'],
    ['src/cluster/dynamic-cli.ts', 'no-restricted-syntax', 'capabilities sit below src/api/'],
    ['src/errors/imports-kube.ts', 'no-restricted-imports', 'base folders import nothing above them'],
    ['src/kube/imports-stack.ts', 'no-restricted-imports', 'src/kube/ uses only the base folders'],
    [
      'src/stack/imports-client-node.ts',
      'no-restricted-imports',
      'the only importer of @kubernetes/client-node',
    ],
    ['src/model/imports-bench.ts', 'no-restricted-imports', 'base folders import nothing above them'],
    ['src/model/imports-config.ts', 'no-restricted-imports', 'src/model/ is a leaf'],
    ['src/bench/imports-report.ts', 'no-restricted-imports', 'bench never imports report'],
  ])('%s trips %s', (file, rule, why) => {
    const found = messages.get(file) ?? [];
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${rule}: `);
    expect(found[0]).toContain(why);
  });

  it('lets a command import the api and the base folders it may use', () => {
    expect(messages.get('src/cli/commands/imports-api.ts')).toEqual([]);
  });

  it('lets bench import the record model', () => {
    expect(messages.get('src/bench/imports-model.ts')).toEqual([]);
  });
});
