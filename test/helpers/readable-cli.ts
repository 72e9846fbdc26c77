/**
 * @module test/helpers/readable-cli
 * A copy of the built CLI that every user may read, for tests that run it as another user
 * (root running it as `nobody` or a test uid): a fresh clone may sit in a folder closed to
 * others (`mktemp -d` is 0700), so its own dist/ cannot be loaded by them. Copied: dist/
 * whole, the audit log's native module (better-sqlite3 and the packages it finds its binary
 * with), and Kuma's socket.io client with the packages it needs: the runtime files outside
 * the bundles that a command run as another user loads.
 */
import { chmodSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI } from './cli.js';

/** Copies the built CLI under `dir` (made readable by all) and returns the copy's cli.cjs. */
export function readableCli(dir: string): string {
  const dist = dirname(CLI);
  const copy = join(dir, 'readable-cli');
  cpSync(dist, join(copy, 'dist'), { recursive: true });
  const modules = join(dirname(dist), 'node_modules');
  const parts = ['better-sqlite3/package.json', 'better-sqlite3/lib', 'better-sqlite3/build/Release/better_sqlite3.node', 'bindings', 'file-uri-to-path', ...closure(modules, 'socket.io-client')];
  for (const part of parts) cpSync(join(modules, part), join(copy, 'node_modules', part), { recursive: true });
  chmodSync(dir, 0o755);
  return join(copy, 'dist', 'cli.cjs');
}

/** `name` and every package it depends on, as installed at the top of `modules` (a nested copy goes with its parent). */
function closure(modules: string, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name) || !existsSync(join(modules, name, 'package.json'))) return [...seen];
  seen.add(name);
  const pkg = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) closure(modules, dep, seen);
  return [...seen];
}
