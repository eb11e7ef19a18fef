/** A node of a dependency graph: a name and the names it needs first. */
export interface GraphNode {
  name: string;
  needs: readonly string[];
}

/**
 * Groups nodes into waves: every node's needs are in earlier waves, and each node sits in the earliest wave
 * it can (wave = length of its longest chain of needs). Nodes of one wave can run in parallel. Needs that
 * name no node are ignored (a component left out by its `when`). A cycle is an error naming its members.
 */
export function waves(nodes: readonly GraphNode[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();

  const visit = (name: string, path: readonly string[]): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new Error(`dependency cycle: ${cycle.join(' -> ')}`);
    }
    visiting.add(name);
    const node = byName.get(name);
    const needs = (node?.needs ?? []).filter((n) => byName.has(n));
    const d = needs.length === 0 ? 0 : 1 + Math.max(...needs.map((n) => visit(n, [...path, name])));
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };

  const result: string[][] = [];
  for (const node of nodes) {
    const d = visit(node.name, []);
    (result[d] ??= []).push(node.name);
  }
  return result;
}

/** Every node that `name` needs, directly or through others. */
export function transitiveNeeds(nodes: readonly GraphNode[], name: string): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const found = new Set<string>();
  const stack = [...(byName.get(name)?.needs ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (found.has(next) || !byName.has(next)) continue;
    found.add(next);
    stack.push(...(byName.get(next)?.needs ?? []));
  }
  return found;
}

/**
 * Per node, the length of its longest chain of dependents (0 for a node nothing needs): how much of the
 * graph still waits behind it. Starting the longest chains first keeps the critical path short.
 */
export function dependentDepths(nodes: readonly GraphNode[]): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const node of nodes)
    for (const need of node.needs) dependents.set(need, [...(dependents.get(need) ?? []), node.name]);
  const depth = new Map<string, number>();
  // Cycles are rejected by waves(); a node on one counts as having no dependents here.
  const visit = (name: string, seen: ReadonlySet<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const next = (dependents.get(name) ?? []).filter((d) => !seen.has(d));
    const d = next.length === 0 ? 0 : 1 + Math.max(...next.map((n) => visit(n, new Set([...seen, n]))));
    depth.set(name, d);
    return d;
  };
  for (const node of nodes) visit(node.name, new Set([node.name]));
  return depth;
}
