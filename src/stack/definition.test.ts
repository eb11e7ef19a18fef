import { describe, expect, it } from 'vitest';
import { parseStackDefinition } from './definition.js';

const header = { apiVersion: 'cncfdemo.io/v1alpha1', kind: 'StackDefinition' };

describe('stack definition', () => {
  it('reads components with their needs, templates, config folders and secrets', () => {
    const def = parseStackDefinition({
      ...header,
      components: [
        { name: 'base', title: 'Base', templates: ['base.yaml.j2'] },
        { name: 'db' },
        {
          name: 'app',
          needs: ['base'],
          after: ['db'],
          when: 'app.enabled',
          configMaps: [{ name: 'app-config', namespace: 'stack', from: 'app/config' }],
          secrets: [{ name: 'app-secret', namespace: 'monitoring', generate: ['token'] }],
        },
      ],
    });
    expect(def.components[2]).toEqual({
      name: 'app',
      title: 'app',
      needs: ['base'],
      after: ['db'],
      templates: [],
      when: 'app.enabled',
      configMaps: [{ name: 'app-config', namespace: 'stack', from: 'app/config' }],
      secrets: [{ name: 'app-secret', namespace: 'monitoring', generate: ['token'] }],
      wait: true,
    });
  });

  it('reports every mistake of the schema on one line', () => {
    expect(() =>
      parseStackDefinition({
        ...header,
        components: [
          { name: 'a', colour: 'red' },
          { name: 'b', configMaps: [{ name: 'x', namespace: 'elsewhere', from: 'x' }] },
        ],
      }),
    ).toThrow(
      'stack.yaml: /components/0 must NOT have additional properties ("colour"); /components/1/configMaps/0/namespace must be equal to one of the allowed values (["stack","monitoring"])',
    );
  });

  it('collects the mistakes of the graph', () => {
    expect(() =>
      parseStackDefinition({
        ...header,
        components: [{ name: 'a', needs: ['missing'] }, { name: 'a' }, { name: 'b', after: ['gone'] }],
      }),
    ).toThrow(
      'stack.yaml: component a is defined twice; a needs unknown component missing; b comes after unknown component gone',
    );
  });

  it('rejects a document of another kind', () => {
    expect(() => parseStackDefinition({ apiVersion: 'v1', kind: 'ConfigMap' })).toThrow(
      'expected apiVersion cncfdemo.io/v1alpha1',
    );
  });
});
