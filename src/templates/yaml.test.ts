import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { parseYamlDocuments } from './yaml.js';

/** Scalars as kubectl (go-yaml v2, YAML 1.1) reads them. */
const scalars: [string, unknown][] = [
  ['on', true],
  ['Off', false],
  ['yes', true],
  ['NO', false],
  ['y', true],
  ['"on"', 'on'],
  ['0755', 493],
  ['0x1F', 31],
  ['1_000', 1000],
  ['12', 12],
  ['1.5', 1.5],
  ['.inf', Infinity],
  ['~', null],
  ['null', null],
  ['2001-12-14', '2001-12-14'],
  ['2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
  ['22:22', '22:22'],
  ['1.0', 1],
  // go-yaml needs a digit in a float: YAML 1.1's own pattern would read these as NaN.
  ['e1', 'e1'],
  ['-e5', '-e5'],
  ['.e1', '.e1'],
  ['.', '.'],
  ['+.', '+.'],
  ['._5', '._5'],
  ['1e1', 10],
  ['.5', 0.5],
  ['+.5', 0.5],
  ['1.', 1],
  ['1.e2', 100],
  ['-1.5e3', -1500],
  ['1_000.5', 1000.5],
];

describe('parseYamlDocuments', () => {
  it.each(scalars)('reads %s like kubectl', (text, expected) => {
    const [doc] = parseYamlDocuments(`v: ${text}\n`, { file: 'x.yaml' });
    expect(doc?.value).toEqual({ v: expected });
    const [composed] = parseYamlDocuments(`v: ${text}\n`, { file: 'x.yaml', composeAll: true });
    expect(composed?.value).toEqual({ v: expected });
  });

  it('splits documents, drops empty ones and records where each starts', () => {
    const text = '# header\n---\na: 1\n---\n# nothing here\n---\n\nb: 2\n...\n';
    const docs = parseYamlDocuments(text, { file: 'x.yaml' });
    expect(docs.map((d) => [d.index, d.line, d.value])).toEqual([
      [1, 3, { a: 1 }],
      [3, 8, { b: 2 }],
    ]);
  });

  it('merges << keys', () => {
    const [doc] = parseYamlDocuments('base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n', { file: 'x.yaml' });
    expect(doc?.value).toEqual({ base: { x: 1 }, derived: { x: 1, z: 2 } });
  });

  const errors: [string, string, boolean, RegExp][] = [
    [
      'an unclosed list',
      'a: 1\nb: [1,\n',
      false,
      /^x\.yaml:3: invalid YAML: Flow sequence .* end with a \]$/,
    ],
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', false, /^x\.yaml:3: invalid YAML: duplicate key "a" \(/],
    [
      'nested duplicate key',
      'a:\n  b: 1\n  "b": 2\n',
      false,
      /^x\.yaml:3: invalid YAML: duplicate key "b" \(/,
    ],
    [
      'duplicate key in rendered output',
      'x: 1\n---\nm:\n  - k: 1\n    k: 2\n',
      true,
      /^x\.yaml: the rendered template is not valid YAML at rendered line 5: duplicate key "k"/,
    ],
    ['tab indentation', 'a:\n\tb: 1\n', false, /^x\.yaml:2: invalid YAML: /],
    [
      'rendered output',
      'a: 1\nb: c: d\n',
      true,
      /^x\.yaml: the rendered template is not valid YAML at rendered line 2: .*"b: c: d"/,
    ],
  ];
  it.each(errors)('names the line of %s', (_label, text, rendered, message) => {
    const run = (): unknown => parseYamlDocuments(text, { file: 'x.yaml', rendered });
    expect(run).toThrow(UserError);
    expect(run).toThrow(message);
  });
});
