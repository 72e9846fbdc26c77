// Bundles with esbuild, in three steps. The lab and the demo: ES modules with code splitting
// (tests and benchmarks import dist/lab.js); native and optional-native packages stay
// external. Then it loads the built registry and writes the CLI's command index (dist/chunks/
// command-index.json), which help and dispatch read instead of importing every service.
// Then the CLI: one CommonJS bundle run through V8's code cache, and dist/cli.js to start it.
// Last, it removes the chunk files of earlier builds (every build names its chunks by
// content hash, so dist/chunks otherwise grows without end).
// HOMELAB_BUILD_OUTDIR builds elsewhere than dist/ (a test of this script, which must not
// rewrite the dist/ that other tests are running).
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

// The simulators are half the CLI's code and only `homelab lab` runs them: the CLI bundle
// requires them from a bundle of their own (dist/lab.cjs, from src/lab/cli-lab.ts) when that
// command runs. They share no state with the CLI: it gets URLs, an environment and close().
// `to` is the lab bundle's path from the bundle being built.
const labOnItsOwn = (to) => ({
  name: 'lab-on-its-own',
  setup(b) {
    b.onResolve({ filter: /[\\/]lab[\\/](lab|ssh-target[\\/]index)\.js$/ }, (args) => (/(lab|demo)-command\.ts$/.test(args.importer) ? { path: to, external: true } : undefined));
  },
});

// The same for the long-running surfaces (`homelab mcp`, `bot`, `serve`): dist/daemons.cjs,
// from src/surfaces/daemons.ts, a whole CLI of its own that the entry runs instead of the CLI
// bundle for those commands (run-bundle.ts), so a daemon holds one copy of the code, not two.
// Should the CLI bundle itself reach one of them, it requires daemons.cjs for that command.
const daemonsOnTheirOwn = {
  name: 'daemons-on-their-own',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/(mcp\/command|telegram\/bot-command|web\/command)\.js$/ }, (args) => (/[\\/]cli[\\/]commands\.ts$/.test(args.importer) ? { path: '../daemons.cjs', external: true } : undefined));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The yaml library bundled, for the config parse cache (core/config-parse-cache): a parse is
// reused only by the parser that made it.
const yamlVersion = JSON.parse(readFileSync(new URL('../node_modules/yaml/package.json', import.meta.url), 'utf8')).version;
const outdir = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.HOMELAB_BUILD_OUTDIR ?? 'dist');
// dist/ is not wiped first: parallel builds (tests, benchmarks) must never see it missing.
const entryPoints = { lab: 'src/lab/lab.ts', 'command-index-build': 'src/surfaces/cli/command-index-build.ts' };
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
  define: { HOMELAB_VERSION: JSON.stringify(pkg.version), HOMELAB_YAML_VERSION: JSON.stringify(yamlVersion) },
  banner: { js: "import { createRequire as __homelabCreateRequire } from 'node:module'; const require = __homelabCreateRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
const { writeCommandIndex } = await import(pathToFileURL(join(outdir, 'command-index-build.js')).href);
const chunksDir = join(outdir, 'chunks');
await writeCommandIndex(chunksDir);

// The CLI itself is one CommonJS file that dist/cli.js runs through V8's code cache
// (src/surfaces/cli/code-cache.ts): Node 20 caches no compiled ES modules, and compiling
// was most of a command's start-up. It holds our code, zod and yaml; every other package
// stays in node_modules (the bot's, MCP's and the HTTP pool's packages load when a command
// needs them, and a smaller bundle is a smaller cache to read). import.meta.url becomes the
// URL of the bundle file (scripts/cjs-import-meta-url.mjs).
// pocketbase is bundled too: its package offers Node no CommonJS entry, and Node before
// 20.19 cannot require an ES module. Dynamic import() becomes require(), so the bundle needs
// nothing of Node's ES module loader (whose vm hook is experimental in Node 20).
// get-east-asian-width (core/display-width) likewise ships ES modules only, and is a few KB.
const bundled = new Set(['zod', 'yaml', 'pocketbase', 'get-east-asian-width']);
const cjsOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  supported: { 'dynamic-import': false },
  charset: 'ascii',
  sourcemap: 'linked',
  external: [...Object.keys(pkg.dependencies).filter((name) => !bundled.has(name)), 'cpu-features', 'telegram-test-api'],
  define: { HOMELAB_VERSION: JSON.stringify(pkg.version), HOMELAB_YAML_VERSION: JSON.stringify(yamlVersion), 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/cjs-import-meta-url.mjs'],
  logLevel: 'warning',
};
const labBundle = await build({
  ...cjsOptions,
  entryPoints: ['src/lab/cli-lab.ts'],
  outfile: join(outdir, 'lab.cjs'),
  metafile: true,
});
const daemonsBundle = await build({
  ...cjsOptions,
  entryPoints: ['src/surfaces/daemons.ts'],
  outfile: join(outdir, 'daemons.cjs'),
  metafile: true,
  plugins: [zodEnglishOnly, labOnItsOwn('./lab.cjs')],
});
const cliBundle = await build({
  ...cjsOptions,
  entryPoints: { cli: 'src/surfaces/cli/main.ts' },
  metafile: true,
  outdir: chunksDir,
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  plugins: [zodEnglishOnly, labOnItsOwn('../lab.cjs'), daemonsOnTheirOwn],
});
const bundleFile = Object.keys(cliBundle.metafile.outputs).find((f) => f.endsWith('.cjs'));

// The first words of commands, each with a code cache of its own (a command's group).
const index = JSON.parse(readFileSync(join(chunksDir, 'command-index.json'), 'utf8'));
const groups = new Set(['help', 'lab', 'batch', 'bot', 'mcp', 'serve', 'watch', 'context', '__complete', 'completion', 'demo']);
for (const service of index.services) for (const name of [service.name, ...(service.aliases ?? [])]) groups.add(name);
for (const op of index.operations) groups.add(op.usage.split(' ')[0]);

// dist/cli.cjs: `--version` at once, anything else through the bundle. CommonJS, because Node
// starts a CommonJS file a few milliseconds sooner than an ES module; bin/homelab.cjs runs it.
// dist/cli.js stays as an ES module that runs it, for scripts that call `node dist/cli.js`.
const entry = await build({
  ...cjsOptions,
  entryPoints: { cli: 'src/surfaces/cli/entry.ts' },
  metafile: true,
  outdir,
  outExtension: { '.js': '.cjs' },
  define: {
    ...cjsOptions.define,
    HOMELAB_CLI_BUNDLE: JSON.stringify(`./chunks/${basename(bundleFile)}`),
    HOMELAB_CACHE_GROUPS: JSON.stringify([...groups].sort()),
  },
});
writeFileSync(join(outdir, 'cli.js'), "// Runs the CLI (cli.cjs) for `node dist/cli.js`; the installed `homelab` runs cli.cjs itself.\nimport './cli.cjs';\n");

// The bundles code-cache.ts loads (the CLI's and the daemons') are read as latin1, which V8
// keeps one byte per character: a bundle with one non-ASCII character would be decoded as
// UTF-8 into a two-byte string, twice the memory for the daemons' whole source. esbuild's
// charset: 'ascii' escapes everything except the raw text of tagged templates (the web
// pages' h`…`, whose tag reads the cooked strings, where \u00b7 and · are the same), so
// that is escaped here; comments may be too, harmlessly. Written whole, then renamed: a
// parallel run must never read half a bundle.
function escapeNonAscii(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[\u0080-\uffff]/.test(text)) return;
  // `\·` would become `\\u00b7`, another text: no such source exists; refuse one rather than guess.
  if (/\\[\u0080-\uffff]/.test(text)) throw new Error(`${file}: a backslash before a non-ASCII character; write it as a \\u escape in the source`);
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, ascii);
  renameSync(temp, file);
}
for (const file of [join(outdir, 'daemons.cjs'), resolve(bundleFile)]) escapeNonAscii(file);


// A chunk file is removed when neither this build nor the one before wrote it, and it is
// older than a few minutes. The build before: a daemon (the bot, watch, MCP) started from
// it imports chunks lazily and must keep working until it is restarted after this build.
// A few minutes: a build running in parallel (tests, benchmarks) may have just written
// chunks its own dist/cli.js imports. The command index is rewritten by every build.
const STALE_MS = 10 * 60_000;
const manifest = join(chunksDir, 'previous-build.json');
const written = new Set([result, labBundle, daemonsBundle, cliBundle, entry].flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => resolve(f)));
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
