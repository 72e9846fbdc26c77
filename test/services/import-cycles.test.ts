/**
 * @module test/services/import-cycles
 * No import cycle runs through the service list, the catalog, core's context, the hub,
 * watch or the plan mechanism: operations reach each other through `ctx.invoke`, never
 * by importing the registry. The graph is read from the sources with TypeScript's parser:
 * static imports and re-exports, and dynamic `import()` (a cycle through one is still a
 * cycle when it runs); type-only imports are left out (they are gone at run time).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/** The modules a file imports at run time, as absolute paths of .ts files under src/. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((f) => f.startsWith(src) && existsSync(f));
}

/** Every module reachable from `entries`, with its imports. */
function graphFrom(entries: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop() as string;
    if (graph.has(file)) continue;
    const deps = importsOf(file);
    graph.set(file, deps);
    todo.push(...deps.filter((d) => !graph.has(d)));
  }
  return graph;
}

/** The strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.map((f) => relative(src, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) connect(v);
  return out;
}

const GUARDED = [/^services\/index\.ts$/, /^services\/catalog\.ts$/, /^core\/context\.ts$/, /^services\/hub\//, /^services\/watch\//, /^watch\//, /^orchestration\//];

describe('import cycles', () => {
  it('finds a cycle when there is one (the detector works)', () => {
    const a = join(src, 'a.ts');
    const b = join(src, 'b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
    expect(cycles(new Map([[a, [b]], [b, []]]))).toEqual([]);
  });

  it('reads static, re-exported and dynamic imports, and leaves type-only ones out', () => {
    const deps = importsOf(join(src, 'services/catalog.ts')).map((f) => relative(src, f));
    expect(deps).toContain('services/pve/service.ts'); // a dynamic import()
    expect(deps).not.toContain('core/operation.ts'); // import type
  });

  it('none runs through the service list, the catalog, core/context, the hub, watch or orchestration', () => {
    const entries = ['services/index.ts', 'services/catalog.ts', 'core/context.ts', 'services/hub/service.ts', 'watch/command.ts', 'watch/daemon.ts', 'orchestration/index.ts']
      .map((f) => join(src, f));
    const found = cycles(graphFrom(entries)).filter((c) => c.some((f) => GUARDED.some((g) => g.test(f))));
    expect(found).toEqual([]);
  });
});
