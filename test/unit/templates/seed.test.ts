import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderWithJinja2 } from '../../helpers/jinja-cases.js';
import { parseYamlDocuments, readValuesFile, renderTemplateFile } from '../../../src/templates/index.js';

// Templates written like the original cncfdemo's Countly and MongoDB manifests; they render unchanged in
// the cncfdemo-v1 mode, with the same text and objects as Jinja2 gives them.
const seedDir = fileURLToPath(new URL('../../fixtures/templates/seed/', import.meta.url));
const templates = ['mongo.yaml.j2', 'countly.yaml.j2'];

interface WithInit {
  kind: string;
  spec: { template?: { metadata: { annotations?: Record<string, string> } } };
}

describe('the original cncfdemo templates (--template-compat cncfdemo-v1)', () => {
  it.each(templates)('%s renders as Jinja2 renders it', async (name) => {
    const values = await readValuesFile(join(seedDir, 'values.yaml'));
    const ours = await renderTemplateFile(join(seedDir, name), { values, compat: 'cncfdemo-v1' });
    const source = readFileSync(join(seedDir, name), 'utf8');
    const [jinja2] = renderWithJinja2([
      { id: name, template: source, data: values, compat: 'cncfdemo-v1' },
    ]).results;
    expect({ output: ours }).toEqual(jinja2);
    const objects = parseYamlDocuments(ours, { file: name, rendered: true }).map((d) => d.value as WithInit);
    expect(objects.length).toBeGreaterThan(1);
    for (const o of objects) {
      const annotation = o.spec.template?.metadata.annotations?.['cncfdemo.io/init-containers'];
      if (annotation === undefined) continue;
      const containers = JSON.parse(annotation) as { name: string; image: string; command: string[] }[];
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) expect(c.command.length).toBeGreaterThan(0);
    }
  });

  it('does not render in the default Jinja2 mode, which is strict about undefined values', async () => {
    const values = await readValuesFile(join(seedDir, 'values.yaml'));
    await expect(renderTemplateFile(join(seedDir, 'mongo.yaml.j2'), { values })).rejects.toThrow(/undefined/);
  });
});
