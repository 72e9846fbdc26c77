// Bundles the CLI (and the demo) with esbuild: code splitting keeps each command's
// cold start to what it imports; native and optional-native packages stay external.
// Then loads the built registry and writes the CLI's command index (dist/chunks/
// command-index.json), which help and dispatch read instead of importing every service.
// Last, it removes the chunk files of earlier builds (every build names its chunks by
// content hash, so dist/chunks otherwise grows without end).
// HOMELAB_BUILD_OUTDIR builds elsewhere than dist/ (a test of this script, which must not
// rewrite the dist/ that other tests are running).
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// zod's namespace export keeps all 60-odd message locales in the bundle (about half of zod's
// source, compiled on every run that loads zod); homelab speaks English only, zod's default.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path) }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outdir = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.HOMELAB_BUILD_OUTDIR ?? 'dist');
// dist/ is not wiped first: parallel builds (tests, benchmarks) must never see it missing.
const entryPoints = { cli: 'src/surfaces/cli/entry.ts', lab: 'src/lab/lab.ts', 'command-index-build': 'src/surfaces/cli/command-index-build.ts' };
if (existsSync('src/lab/demo.ts')) entryPoints.demo = 'src/lab/demo.ts';
const result = await build({
  entryPoints,
  metafile: true,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', 'ssh2', 'cpu-features', 'telegram-test-api', 'socket.io', 'selfsigned'],
  define: { HOMELAB_VERSION: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __homelabCreateRequire } from 'node:module'; const require = __homelabCreateRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
const { writeCommandIndex } = await import(pathToFileURL(join(outdir, 'command-index-build.js')).href);
const chunksDir = join(outdir, 'chunks');
await writeCommandIndex(chunksDir);

// A chunk file is removed when neither this build nor the one before wrote it, and it is
// older than a few minutes. The build before: a daemon (the bot, watch, MCP) started from
// it imports chunks lazily and must keep working until it is restarted after this build.
// A few minutes: a build running in parallel (tests, benchmarks) may have just written
// chunks its own dist/cli.js imports. The command index is rewritten by every build.
const STALE_MS = 10 * 60_000;
const manifest = join(chunksDir, 'previous-build.json');
const written = new Set([...Object.keys(result.metafile.outputs)].map((f) => resolve(f)));
let previous = [];
try {
  previous = JSON.parse(readFileSync(manifest, 'utf8'));
} catch {
  // first build, or a manifest from an interrupted build: keep by age only
}
const keep = new Set([...written, ...previous.map((name) => join(chunksDir, name))]);
let removed = 0;
for (const name of readdirSync(chunksDir)) {
  const file = join(chunksDir, name);
  if (name === 'command-index.json' || name === 'previous-build.json' || keep.has(file)) continue;
  try {
    if (Date.now() - statSync(file).mtimeMs < STALE_MS) continue;
    rmSync(file, { force: true });
    removed++;
  } catch {
    // removed meanwhile by a parallel build
  }
}
writeFileSync(manifest, JSON.stringify([...written].filter((f) => dirname(f) === chunksDir).map((f) => basename(f))));
if (removed) console.log(`removed ${removed} stale chunk files from ${chunksDir}`);
