/**
 * DESIGN.md: `index.ts` only re-exports. The watch's index files (the daemon's and the
 * checks') hold nothing but `export … from` statements, so loading one runs no logic of
 * its own; the list of checks and its agreement with `check-names.ts` live in a named file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../../src/watch/check-names.js';
import { allChecks, checkNames } from '../../src/watch/checks/index.js';

const root = resolve(import.meta.dirname, '../..');

/** Every index.ts under `dir`. */
function indexFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name === 'index.ts')
    .map((e) => join(e.parentPath, e.name));
}

/** The statements of `file` that are not `export … from '…'`, as text. */
function notReExports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return source.statements.filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier)).map((s) => s.getText(source).split('\n')[0] ?? '');
}

describe('watch index files', () => {
  it('only re-export', () => {
    const files = indexFiles(join(root, 'src/watch'));
    expect(files.map((f) => relative(root, f)).sort()).toEqual(['src/watch/checks/index.ts', 'src/watch/index.ts']);
    expect(Object.fromEntries(files.map((f) => [relative(root, f), notReExports(f)]))).toEqual({ 'src/watch/checks/index.ts': [], 'src/watch/index.ts': [] });
  });

  it('see a statement that is not a re-export', () => {
    const file = join(root, 'src/watch/checks/all-checks.ts');
    expect(notReExports(file)).toContain("if (checkNames.join() !== CHECK_NAMES.join()) throw new Error(`watch/check-names.ts lists ${CHECK_NAMES.join()} but the checks are ${checkNames.join()}`);");
  });

  it('export the checks, named as check-names.ts names them', () => {
    expect(checkNames).toEqual([...CHECK_NAMES]);
    expect(allChecks.map((c) => c.name)).toEqual([...CHECK_NAMES]);
  });
});
