import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { parseYamlDocuments, readValuesFile, renderTemplateFile, renderTemplateString } from './index.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));
const renderDir = join(fixtures, 'render');
// Expected outputs were rendered by Jinja2 itself (test/fixtures/templates/generate.py).
const templates = readdirSync(renderDir).filter((f) => f.endsWith('.j2'));

async function render(name: string): Promise<string> {
  const values = await readValuesFile(join(renderDir, 'values.yaml'));
  return renderTemplateFile(join(renderDir, name), { values });
}

describe('renderTemplateFile matches Jinja2', () => {
  it.each(templates)('%s', async (name) => {
    const expected = readFileSync(join(renderDir, name.replace(/\.j2$/, '.expected')), 'utf8');
    expect(await render(name)).toBe(expected);
  });

  it.each(templates)('%s renders to valid multi-document YAML', async (name) => {
    const docs = parseYamlDocuments(await render(name), { file: name, rendered: true });
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      const { apiVersion, kind } = doc.value as { apiVersion?: unknown; kind?: unknown };
      expect([typeof apiVersion, typeof kind]).toEqual(['string', 'string']);
    }
  });
});

describe('the Mongo template (macro -> init-container JSON -> json_dump)', () => {
  interface PodSpecHolder {
    kind: string;
    metadata: { name: string };
    spec: {
      template: { metadata: { annotations?: Record<string, string> }; spec: { initContainers?: unknown[] } };
    };
  }

  it('gives the objects of the sharded cluster with init containers that round-trip through the annotation', async () => {
    const docs = parseYamlDocuments(await render('mongo.yaml.j2'), { file: 'mongo.yaml.j2', rendered: true });
    const objects = docs.map((d) => d.value as PodSpecHolder);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/mongos',
      'Deployment/mongos',
      'Service/mongocfg',
      'StatefulSet/mongocfg',
      'Service/mongors1',
      'StatefulSet/mongors1',
      'Service/mongors2',
      'StatefulSet/mongors2',
      'Job/mongocfg-setup',
      'Job/mongors1-setup',
      'Job/mongors2-setup',
    ]);
    const withInit = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
    for (const o of withInit) {
      const { annotations = {}, ...rest } = o.spec.template.metadata;
      expect(rest).toBeDefined();
      const initContainers = o.spec.template.spec.initContainers;
      expect(JSON.parse(annotations['cncfdemo.io/init-containers'] ?? '')).toEqual(initContainers);
      const seedStyle = annotations['cncfdemo.io/init-containers-seed-style'];
      if (seedStyle !== undefined) expect(JSON.parse(seedStyle)).toEqual(initContainers);
    }
    const shard = withInit.find((o) => o.metadata.name === 'mongors1-setup');
    expect(shard?.spec.template.spec.initContainers).toEqual([
      expect.objectContaining({ name: 'ns' }),
      {
        name: 'init',
        image: 'mongo:3.2',
        command: [
          'mongo',
          '--host',
          'mongors1-0.mongors1',
          '--port',
          '27017',
          '--eval',
          "rs.initiate({_id: 'rs1', members: [{_id: 0, host: 'mongors1-0.mongors1:27017'}, " +
            "{_id: 1, host: 'mongors1-1.mongors1:27017'}, {_id: 2, host: 'mongors1-2.mongors1:27017'}]})",
        ],
      },
      expect.objectContaining({ name: 'wait-mongos' }),
    ]);
  });
});

describe('json_dump / tojson match Python json.dumps', () => {
  const vectors = JSON.parse(readFileSync(join(fixtures, 'json-dump', 'vectors.json'), 'utf8')) as {
    template: string;
    expected: string;
  }[];
  it.each(vectors)('$template', ({ template, expected }) => {
    expect(renderTemplateString(template, 'vector.j2')).toBe(expected);
  });
});

describe('template semantics', () => {
  const cases: [
    label: string,
    name: string,
    values: Record<string, unknown>,
    source: string,
    expected: string,
  ][] = [
    ['no autoescape even for *.yaml.j2', 'x.yaml.j2', { s: 'a"b<c>' }, '{{ s }}', 'a"b<c>'],
    ['trailing newline dropped like Jinja2', 'x.j2', {}, 'a\n', 'a'],
    [
      'Python-style methods',
      'x.j2',
      { d: { b: 1, a: 2 } },
      '{{ d.keys() | list }} {{ "Ab".upper() }}',
      "['b', 'a'] AB",
    ],
    ['values nest', 'x.j2', { image: { tag: 'v1' } }, '{{ image.tag }}', 'v1'],
    [
      'undefined is fine behind default and is defined',
      'x.j2',
      {},
      '{{ x | default(1) }}{{ x is defined }}',
      '1False',
    ],
    // as Python prints them: this matters inside quoted YAML strings and env values
    [
      'booleans and none print like Python',
      'x.j2',
      { on: true },
      '{{ on }} {{ false }} {{ none }}',
      'True False None',
    ],
    ['maps keep their key order', 'x.j2', { d: { b: 1, a: 2 } }, '{{ d | json_dump }}', '{"b": 1, "a": 2}'],
  ];
  it.each(cases)('%s', (_label, name, values, source, expected) => {
    expect(renderTemplateString(source, name, values)).toBe(expected);
  });
});

describe('template errors name the file and line', () => {
  const cases: [string, string, RegExp][] = [
    ['undefined variable', 'a: 1\nb: {{ replicas }}\n', /^t\.yaml\.j2:2: "replicas" is undefined$/],
    ['undefined attribute', 'a: {{ image.tag }}', /^t\.yaml\.j2:1: "image\.tag" is undefined$/],
    [
      'undefined in a condition',
      '\n\n{% if enabled %}x{% endif %}',
      /^t\.yaml\.j2:3: "enabled" is undefined$/,
    ],
    ['unclosed expression', 'a: 1\nb: {{ 1 + }}\n', /^t\.yaml\.j2:2: template syntax error: /],
    [
      'unclosed block',
      'a: 1\n{% for x in [1] %}\nb\n',
      /^t\.yaml\.j2:\d: template syntax error: .*'endfor'.*needs to be closed is 'for'/,
    ],
    ['unknown filter', '{{ 1 | nosuchfilter }}', /^t\.yaml\.j2:1: unknown filter "nosuchfilter"$/],
    ['unknown include', "{% include 'missing.j2' %}", /^t\.yaml\.j2:1: template not found/],
    ['undefined loop source', '{% for x in items %}{% endfor %}', /^t\.yaml\.j2:1: "items" is undefined$/],
  ];
  it.each(cases)('%s', (_label, source, message) => {
    let error: unknown;
    try {
      renderTemplateString(source, 't.yaml.j2', { image: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toBeTruthy();
  });

  it('points into an included template at its own line', async () => {
    const file = join(fixtures, 'errors', 'includes-broken.yaml.j2');
    await expect(renderTemplateFile(file, { displayName: 'errors/includes-broken.yaml.j2' })).rejects.toThrow(
      /^errors\/_partials\/broken\.j2:3: "not_defined" is undefined$/,
    );
  });

  it('keeps working after a failed render', () => {
    expect(() => renderTemplateString('{{ 1 | json_dump(', 'bad.j2')).toThrow(UserError);
    expect(() => renderTemplateString('{{ nope }}', 'bad.j2')).toThrow(UserError);
    expect(renderTemplateString('{{ 40 + 2 }}', 'ok.j2')).toBe('42');
  });
});

describe('runaway templates fail with a message', () => {
  it.each([
    [
      'endless macro recursion',
      '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}',
      /recursion too deep/,
    ],
    ['a huge range', '{% for i in range(10 ** 9) %}{% endfor %}', /range too big/],
  ])('%s', (_label, source, message) => {
    expect(() => renderTemplateString(source, 'x.j2')).toThrow(message);
  });
});
