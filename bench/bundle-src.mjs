// bench/bundle-src: what a benchmark imports from src/, bundled as the CLI build does (dist/
// has no library entry) and written under node_modules/.cache so its external packages resolve.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `exportLines` (`export { x } from './src/….ts';`) and returns the loaded module. */
export async function importFromSrc(name, exportLines) {
  const out = join(root, 'node_modules', '.cache', `homelab-bench-${name}-${process.pid}.mjs`);
  await build({
    stdin: { contents: exportLines.join('\n'), resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'warning',
    external: ['better-sqlite3', 'ssh2', 'cpu-features', 'telegram-test-api', 'socket.io', 'selfsigned'],
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  try {
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(out, { force: true });
  }
}
