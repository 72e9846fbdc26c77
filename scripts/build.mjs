// Bundles the CLI (and the demo) with esbuild: code splitting keeps each command's
// cold start to what it imports; native and optional-native packages stay external.
// Then loads the built registry and writes the CLI's command index (dist/chunks/
// command-index.json), which help and dispatch read instead of importing every service.
import { build } from 'esbuild';
import { readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// zod's namespace export keeps all 60-odd message locales in the bundle (about half of zod's
// source, compiled on every run that loads zod); homelab speaks English only, zod's default.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path) }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// dist/ is not wiped first: parallel builds (tests, benchmarks) must never see it missing.
const entryPoints = { cli: 'src/surfaces/cli/entry.ts', lab: 'src/lab/lab.ts', 'command-index-build': 'src/surfaces/cli/command-index-build.ts' };
if (existsSync('src/lab/demo.ts')) entryPoints.demo = 'src/lab/demo.ts';
await build({
  entryPoints,
  outdir: 'dist',
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
const { writeCommandIndex } = await import(new URL('../dist/command-index-build.js', import.meta.url).href);
await writeCommandIndex(fileURLToPath(new URL('../dist/chunks', import.meta.url)));
