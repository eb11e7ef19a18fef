import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Parser, type CST } from 'yaml';
import { directDocumentValue, FALLBACK } from './yaml-direct.js';
import { directContext, parseYamlDocuments } from './yaml.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What parseYamlDocuments gives, or the message it throws. */
function read(text: string, composeAll: boolean, rendered = false): unknown {
  try {
    return parseYamlDocuments(text, { file: 'x.yaml', composeAll, rendered });
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Whether each document of `text` is converted directly (true) or left to the Composer (false). */
function directly(text: string): boolean[] {
  const ctx = directContext();
  return [...new Parser().parse(text)]
    .filter((t): t is CST.Document => t.type === 'document')
    .map((t) => directDocumentValue(t, ctx) !== FALLBACK);
}

/** Shapes the direct conversion takes. */
const plain: string[] = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: x\ndata:\n  k: "v"\n',
  'a: on\nb: "on"\nc: 0755\nd: 0x1F\ne: 1_000\nf: 1.5\ng: .inf\nh: ~\ni:\nj: 2001-12-14\nk: 22:22\nl: 1.0\n',
  's: \'it\'\'s\'\nt: "tab\there"\nu: "a  b"\nv: plain text with spaces\n',
  '- a\n- b: 1\n  c: 2\n-\n- - x\n  - y\n',
  '# head\n---\na: 1 # trailing\n---\n# empty\n---\nb: |\n  line 1\n  line 2\nc: >-\n  folded\n  text\n',
  '1: one\ntrue: yes\nnull: n\n"1": quoted one\n',
  'args:\n  - --flag=a:b\n  - "x: y"\n  - multi\n    line plain\n',
  `data:\n${Array.from({ length: 300 }, (_, i) => `  key-${i}: "value ${i} ${'x'.repeat(40)}"`).join('\n')}\n`,
];

/** Other shapes: [text, converted directly]. Values or errors must be the Composer's either way. */
const others: [string, boolean][] = [
  ['base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n', false],
  ['a: [1, 2]\nb: {}\n', false],
  ['a: !!str 1\n', false],
  ['? complex\n: value\n', false],
  ['a: 1\nb: 2\na: 3\n', false],
  ['a:\n  b: 1\n  "b": 2\n', false],
  ['__proto__: x\n', false],
  ['a:\n\tb: 1\n', false],
  ['a: 1\nb: c: d\n', false],
  ['a: "x"#c\n', false],
  ['a: "unclosed\n', false],
  ['--- a: 1\n', false],
  ['a: @x\n', false],
  ['a: `x\n', false],
  ['a: |\n  ok\n bad\n', false],
  ['key: value\n  bad indent: x\n', false],
  ['a:\n- 1\n-2\n', false],
  [`${'k'.repeat(1100)}: v\n`, false],
  [`${'['.repeat(300)}${']'.repeat(300)}\n`, false],
  [Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n', false],
  // Escapes and folded lines go through the library's own scalar functions; directives and `...`
  // send the whole stream to the Composer.
  ['a: 1 #comment\n', true],
  ['a: "esc\\tape \\u00e9"\n', true],
  ['a: "fold\n  ed"\n', true],
  ["a: 'two\n  lines'\n", true],
  ['%YAML 1.1\n---\na: 1\n', true],
  ['a: 1\n...\nb: 2\n', true],
];

/** Every YAML file of the repository: manifests, data, fixtures (bad inputs included). */
function repositoryYaml(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'coverage') continue;
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) repositoryYaml(path, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(path);
  }
  return out;
}

describe('the direct conversion of YAML documents', () => {
  it.each(plain)('converts plain shapes directly, as the Composer reads them: %#', (text) => {
    expect(directly(text).every(Boolean)).toBe(true);
    expect(read(text, false)).toEqual(read(text, true));
  });

  it.each(others)('reads other shapes as the Composer does: %#', (text, direct) => {
    expect(directly(text).every(Boolean)).toBe(direct);
    expect(read(text, false)).toEqual(read(text, true));
    expect(read(text, false, true)).toEqual(read(text, true, true));
  });

  it('reads every YAML file of the repository as the Composer does', () => {
    const files = repositoryYaml(root);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(read(text, false), file).toEqual(read(text, true));
    }
  });

  it('keeps the document count and the lines of documents converted directly or not', () => {
    const text = 'a: 1\n---\nb: [2]\n---\n\n---\nc: 3\n';
    expect(directly(text)).toEqual([true, false, true, true]);
    expect(read(text, false)).toEqual([
      { index: 1, line: 1, value: { a: 1 } },
      { index: 2, line: 3, value: { b: [2] } },
      { index: 4, line: 7, value: { c: 3 } },
    ]);
  });
});
