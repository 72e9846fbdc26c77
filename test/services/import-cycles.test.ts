/**
 * @module test/services/import-cycles
 * No import cycle anywhere in src/ at run time, and none through the service list, the
 * catalog, core's context, the hub, watch or the plan mechanism even counting type-only
 * imports: operations reach each other through `ctx.invoke`, never by importing the
 * registry. No surface (cli, mcp, telegram, web) imports another surface's modules: what
 * more than one uses lives in surfaces/shared/, which imports no surface. The one exception
 * is the CLI starting another surface (`homelab mcp`, `bot`, `serve`): cli/commands.ts
 * imports that surface's entry module, lazily. The graph is read from the sources with
 * TypeScript's parser: static imports and re-exports, and dynamic `import()` (a cycle through
 * one is still a cycle when it runs); type-only imports count only where a test says so
 * (they are gone at run time).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/**
 * The modules a file imports at run time (with `types`, type-only imports and `import('…')`
 * types too), as absolute paths of .ts files under src/, each with whether it is a dynamic `import()`.
 */
function importEdges(file: string, types = false): { to: string; dynamic: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: { spec: string; dynamic: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (types || !typeOnly) specs.push({ spec: node.moduleSpecifier.text, dynamic: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (types || !typeOnly) specs.push({ spec: node.moduleSpecifier.text, dynamic: false });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specs.push({ spec: node.arguments[0].text, dynamic: true });
    } else if (types && ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specs.push({ spec: node.argument.literal.text, dynamic: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs
    .filter((s) => s.spec.startsWith('.'))
    .map((s) => ({ to: resolve(dirname(file), s.spec.replace(/\.js$/, '.ts')), dynamic: s.dynamic }))
    .filter((e) => e.to.startsWith(src) && e.to.endsWith('.ts') && existsSync(e.to));
}

/** The modules a file imports at run time (with `types`, type-only ones too), as absolute paths of .ts files under src/. */
function importsOf(file: string, types = false): string[] {
  return importEdges(file, types).map((e) => e.to);
}

/** Every .ts file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The import graph of every module under src/ (with `types`, type-only imports too). */
function wholeGraph(types = false): Map<string, string[]> {
  return new Map(sourceFiles(src).map((f) => [f, importsOf(f, types)]));
}

/** Every module reachable from `entries`, with its imports (with `types`, type-only ones too). */
function graphFrom(entries: string[], types = false): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop() as string;
    if (graph.has(file)) continue;
    const deps = importsOf(file, types);
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

/** The surfaces, each a folder of src/surfaces/ that imports no other's modules. */
const SURFACES = ['cli', 'mcp', 'telegram', 'web'];
/** The neutral home of what more than one surface uses: it imports no surface. */
const SHARED = 'shared';
/** The CLI starts the other surfaces, each through its one entry module, lazily (`homelab mcp`, `bot`, `serve`). */
const LAUNCHES = new Set(['surfaces/cli/commands.ts -> surfaces/mcp/command.ts', 'surfaces/cli/commands.ts -> surfaces/telegram/bot-command.ts', 'surfaces/cli/commands.ts -> surfaces/web/command.ts']);

/** The surface folder (or `shared`) a path under src/ belongs to, if any. */
function surfaceOf(path: string): string | undefined {
  const match = /^surfaces\/([^/]+)\//.exec(path);
  return match && [...SURFACES, SHARED].includes(match[1] as string) ? match[1] : undefined;
}

/**
 * The imports (type-only ones included) from one surface into another, or from shared/ into
 * any surface, as `from -> to` (paths under src/); a launch of another surface is allowed
 * only as a dynamic `import()` of its entry module from cli/commands.ts.
 */
function crossSurfaceImports(edges: Map<string, { to: string; dynamic: boolean }[]>): string[] {
  const found: string[] = [];
  for (const [file, deps] of edges) {
    const from = relative(src, file);
    const own = surfaceOf(from);
    if (own === undefined) continue;
    for (const dep of deps) {
      const to = relative(src, dep.to);
      const theirs = surfaceOf(to);
      if (theirs === undefined || theirs === own || theirs === SHARED) continue;
      const edge = `${from} -> ${to}`;
      if (!(dep.dynamic && LAUNCHES.has(edge))) found.push(edge);
    }
  }
  return found.sort();
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

  it('finds an import from one surface into another (the rule works)', () => {
    const at = (path: string): string => join(src, path);
    const edges = new Map([
      [at('surfaces/mcp/exposure.ts'), [{ to: at('surfaces/cli/commands.ts'), dynamic: false }, { to: at('surfaces/shared/allow-level.ts'), dynamic: false }]],
      [at('surfaces/shared/terminal.ts'), [{ to: at('surfaces/web/html.ts'), dynamic: false }]],
      [at('surfaces/cli/commands.ts'), [{ to: at('surfaces/mcp/command.ts'), dynamic: true }, { to: at('surfaces/web/server.ts'), dynamic: true }]],
      [at('surfaces/cli/main.ts'), [{ to: at('surfaces/telegram/bot-command.ts'), dynamic: false }]],
      [at('surfaces/daemons.ts'), [{ to: at('surfaces/web/command.ts'), dynamic: false }]],
    ]);
    expect(crossSurfaceImports(edges)).toEqual([
      'surfaces/cli/commands.ts -> surfaces/web/server.ts',
      'surfaces/cli/main.ts -> surfaces/telegram/bot-command.ts',
      'surfaces/mcp/exposure.ts -> surfaces/cli/commands.ts',
      'surfaces/shared/terminal.ts -> surfaces/web/html.ts',
    ]);
  });

  it('none anywhere in src/ at run time (static, re-export and dynamic imports)', () => {
    const graph = wholeGraph();
    expect(graph.size).toBeGreaterThan(500);
    expect(cycles(graph)).toEqual([]);
  });

  it('no surface imports another surface\'s modules, type-only imports included; shared/ imports none', () => {
    const edges = new Map(sourceFiles(join(src, 'surfaces')).map((f) => [f, importEdges(f, true)]));
    expect(crossSurfaceImports(edges)).toEqual([]);
    // The launches are still there (the rule above would let a renamed entry slip by unnoticed otherwise).
    const launches = importEdges(join(src, 'surfaces/cli/commands.ts')).filter((e) => e.dynamic).map((e) => `surfaces/cli/commands.ts -> ${relative(src, e.to)}`);
    expect(launches.filter((l) => LAUNCHES.has(l)).sort()).toEqual([...LAUNCHES].sort());
  });

  it('none runs through the service list, the catalog, core/context, the hub, watch or orchestration', () => {
    const entries = ['services/index.ts', 'services/catalog.ts', 'core/context.ts', 'services/hub/service.ts', 'watch/command.ts', 'watch/daemon.ts', 'orchestration/index.ts']
      .map((f) => join(src, f));
    const found = cycles(graphFrom(entries)).filter((c) => c.some((f) => GUARDED.some((g) => g.test(f))));
    expect(found).toEqual([]);
  });

  it('none runs through the hub or orchestration counting type-only imports (a shared type lives in a types file)', () => {
    const entries = ['services/hub/service.ts', 'orchestration/index.ts'].map((f) => join(src, f));
    const found = cycles(graphFrom(entries, true)).filter((c) => c.some((f) => /^services\/hub\//.test(f) || /^orchestration\//.test(f)));
    expect(found).toEqual([]);
  });
});
