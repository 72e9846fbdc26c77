// Runs at `npm pack` / `npm publish` (the prepack script, after the build): writes
// dist/chunks/.npmignore so that the package carries this build's CLI bundle and command
// index only. dist/chunks also holds the ES module chunks that tests and `npm run demo`
// import, source maps, and the files of earlier builds that the build keeps for a while
// (scripts/build.mjs); none of them is needed by the installed `homelab`. package.json's
// `files` names what ships; npm honours an .npmignore inside a listed directory.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const chunks = new URL('../dist/chunks/', import.meta.url);
// The bundle dist/cli.cjs runs: the build writes its name into the entry file.
const entry = readFileSync(new URL('../dist/cli.cjs', import.meta.url), 'utf8');
const bundles = [...new Set(entry.match(/chunks\/cli-[A-Z0-9]+\.cjs/g) ?? [])].map((p) => basename(p));
if (bundles.length !== 1) throw new Error(`dist/cli.cjs names ${bundles.length} CLI bundles, not one: run npm run build`);
readFileSync(new URL(bundles[0], chunks));
writeFileSync(new URL('.npmignore', chunks), [
  '# Written by scripts/pack-files.mjs at prepack: only the bundle dist/cli.cjs runs, and the command index, ship.',
  '*',
  '!command-index.json',
  `!${bundles[0]}`,
  '',
].join('\n'));
console.log(`package: dist/chunks/${bundles[0]} and command-index.json`);
