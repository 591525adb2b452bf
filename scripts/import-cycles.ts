/**
 * Import cycles among the repository's source files: the graph is built from
 * the same preProcessFile specifiers the layer rule reads, relative ones
 * resolved to files (`./x.js` → x.ts, x.tsx or x/index.ts). Type-only imports
 * count too: a cycle of types still ties two modules into one.
 */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The file a relative specifier names, if it is one of `files`. */
export function resolveImport(from: string, spec: string, files: ReadonlySet<string>): string | null {
  if (!spec.startsWith('.')) return null;
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  const base = parts.join('/');
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`, `${base}/index.tsx`])
    if (files.has(c)) return c;
  return null;
}

export function buildImportGraph(importsOf: ReadonlyMap<string, readonly string[]>): ImportGraph {
  const files = new Set(importsOf.keys());
  const graph = new Map<string, string[]>();
  for (const [file, specs] of importsOf) {
    graph.set(file, [...new Set(specs.flatMap((s) => resolveImport(file, s, files) ?? []))]);
  }
  return graph;
}

/**
 * One cycle per strongly connected component of more than one file (or a
 * file importing itself), as the path that closes it: [a, b, …, a].
 * Iterative Tarjan, so a deep tree cannot overflow the stack.
 */
export function findImportCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.node) ?? [];
      if (top.i < edges.length) {
        const to = edges[top.i++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          comp.push(n);
        } while (n !== top.node);
        if (comp.length > 1 || (graph.get(top.node) ?? []).includes(top.node)) components.push(comp);
      }
    }
  }
  return components.map((comp) => cyclePath(graph, new Set(comp)));
}

/** A closed path through a component, for a readable failure. */
function cyclePath(graph: ImportGraph, comp: ReadonlySet<string>): string[] {
  const start = [...comp].sort()[0]!;
  // breadth-first from start back to start, inside the component
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const to of graph.get(n) ?? []) {
      if (!comp.has(to)) continue;
      if (to === start) {
        const path: string[] = [];
        for (let c = n; c !== start; c = prev.get(c)!) path.unshift(c);
        return [start, ...path, start];
      }
      if (!prev.has(to)) {
        prev.set(to, n);
        queue.push(to);
      }
    }
  }
  return [...comp];
}
