import { describe, expect, it } from 'vitest';
import { dependentDepths, transitiveNeeds, waves } from './graph.js';

describe('dependency waves', () => {
  it('puts each node in the wave after its deepest need', () => {
    const nodes = [
      { name: 'app', needs: ['db', 'config'] },
      { name: 'db', needs: ['base'] },
      { name: 'config', needs: ['base'] },
      { name: 'base', needs: [] },
      { name: 'extra', needs: ['base'] },
      { name: 'late', needs: ['app', 'extra'] },
    ];
    expect(waves(nodes)).toEqual([['base'], ['db', 'config', 'extra'], ['app'], ['late']]);
  });

  it('ignores needs that name no node', () => {
    expect(waves([{ name: 'a', needs: ['left-out'] }])).toEqual([['a']]);
  });

  it('names the members of a cycle', () => {
    const nodes = [
      { name: 'a', needs: ['b'] },
      { name: 'b', needs: ['c'] },
      { name: 'c', needs: ['a'] },
    ];
    expect(() => waves(nodes)).toThrow('dependency cycle: a -> b -> c -> a');
  });

  it('finds everything a node needs, through others', () => {
    const nodes = [
      { name: 'a', needs: ['b'] },
      { name: 'b', needs: ['c', 'd'] },
      { name: 'c', needs: [] },
      { name: 'd', needs: [] },
      { name: 'e', needs: [] },
    ];
    expect([...transitiveNeeds(nodes, 'a')].sort()).toEqual(['b', 'c', 'd']);
  });
});

describe('dependent depths', () => {
  it('counts the longest chain of dependents behind each node', () => {
    const depths = dependentDepths([
      { name: 'base', needs: [] },
      { name: 'agents', needs: ['base'] },
      { name: 'db', needs: ['base'] },
      { name: 'router', needs: ['db'] },
      { name: 'app', needs: ['router', 'agents'] },
      { name: 'ui', needs: ['db'] },
    ]);
    expect(Object.fromEntries(depths)).toEqual({ base: 3, agents: 1, db: 2, router: 1, app: 0, ui: 0 });
  });
});
