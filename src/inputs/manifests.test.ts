import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { describeSource, loadManifests, parseManifests, sourceLookup, type Manifest } from './manifests.js';

const cwd = fileURLToPath(new URL('../../test/fixtures/inputs/', import.meta.url));
const values = { name: 'web', replicas: 2 };

function summary(manifests: readonly Manifest[]): string[] {
  return manifests.map((m) => `${m.object.kind}/${m.object.metadata.name ?? ''} ${describeSource(m.source)}`);
}

describe('loadManifests', () => {
  it('reads a directory like kubectl: manifests and templates in name order, partials and other files skipped', async () => {
    const manifests = await loadManifests({ filenames: ['tree'], values, cwd });
    expect(summary(manifests)).toEqual([
      'Namespace/demo tree/10-namespace.yaml:1 (document 1)',
      'Deployment/web tree/20-app.yaml.j2 (document 1, rendered line 1)',
      'ServiceAccount/one tree/list.json:1 (document 1, item 0)',
      'ServiceAccount/two tree/list.json:1 (document 1, item 1)',
      'ConfigMap/first tree/multi.yml:3 (document 1)',
      'Service/second tree/multi.yml:14 (document 3)',
    ]);
  });

  it('walks subdirectories with recursive', async () => {
    const manifests = await loadManifests({ filenames: ['tree'], values, recursive: true, cwd });
    expect(summary(manifests).at(-1)).toBe('ConfigMap/nested tree/sub/30-config.yaml:1 (document 1)');
    expect(manifests).toHaveLength(7);
  });

  it('renders templates with the values and parses YAML 1.1 like kubectl', async () => {
    const manifests = await loadManifests({ filenames: ['tree'], values, cwd });
    const deployment = manifests.find((m) => m.object.kind === 'Deployment')?.object;
    expect(deployment?.metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/managed-by': 'cncfdemo' });
    expect(deployment?.spec).toMatchObject({ replicas: 2 });
    const configMap = manifests.find((m) => m.object.metadata.name === 'first')?.object;
    expect(configMap?.data).toEqual({ enabled: 'on', flag: true });
  });

  it('takes a named file whatever its extension, and standard input for -', async () => {
    const stdin = Readable.from(['apiVersion: v1\nkind: Secret\n', 'metadata:\n  name: from-stdin\n']);
    const manifests = await loadManifests({ filenames: ['manifest.txt', '-'], stdin, cwd });
    expect(summary(manifests)).toEqual([
      'ConfigMap/odd-extension manifest.txt:1 (document 1)',
      'Secret/from-stdin <stdin>:1 (document 1)',
    ]);
  });

  const invalid: [label: string, filenames: string[], message: RegExp][] = [
    ['a missing path', ['nope.yaml'], /^the path "nope\.yaml" does not exist$/],
    ['a URL', ['https://example.com/x.yaml'], /URLs are not supported$/],
    ['a directory without manifests', ['empty-dir'], /^no objects found in "empty-dir"$/],
    ['no input', [], /^no input given$/],
  ];
  it.each(invalid)('rejects %s with a hint', async (_label, filenames, message) => {
    const error = await loadManifests({ filenames, cwd }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toBeTruthy();
  });
});

describe('parseManifests', () => {
  const invalid: [label: string, text: string, message: string][] = [
    [
      'a list document',
      '- a\n- b\n',
      'x.yaml:1 (document 1): expected a Kubernetes object (a mapping), found a list',
    ],
    [
      'a scalar document',
      'hello\n',
      'x.yaml:1 (document 1): expected a Kubernetes object (a mapping), found the text "hello"',
    ],
    [
      'no apiVersion',
      'apiVersion: v1\nkind: A\n---\nkind: Pod\nmetadata: {name: p}\n',
      'x.yaml:4 (document 2): apiVersion is missing in Pod',
    ],
    ['no kind', 'apiVersion: v1\nmetadata: {name: p}\n', 'x.yaml:1 (document 1): kind is missing'],
    [
      'metadata not a mapping',
      'apiVersion: v1\nkind: Pod\nmetadata: p\n',
      'x.yaml:1 (document 1): metadata must be a mapping',
    ],
    [
      'a bad list item',
      'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n',
      'x.yaml:1 (document 1, item 0): apiVersion is missing',
    ],
  ];
  it.each(invalid)('rejects %s naming the document', (_label, text, message) => {
    expect(() => parseManifests(text, 'x.yaml')).toThrow(message);
  });

  it('fills in empty metadata and keeps every other field as written', () => {
    const [manifest] = parseManifests(
      'apiVersion: example.com/v1\nkind: Widget\nspec: {size: 0755, typo: yes}\n',
      'w.yaml',
    );
    expect(manifest?.object).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: {},
      spec: { size: 493, typo: true },
    });
  });

  it('gives kube a lookup from object to source', () => {
    const manifests = parseManifests('apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n', 'ab.yaml');
    const lookup = sourceLookup(manifests);
    expect(manifests.map((m) => lookup(m.object))).toEqual([
      'ab.yaml:1 (document 1)',
      'ab.yaml:4 (document 2)',
    ]);
    expect(lookup({ apiVersion: 'v1', kind: 'A', metadata: {} })).toBeUndefined();
  });
});
