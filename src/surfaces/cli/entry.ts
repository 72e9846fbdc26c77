/**
 * @module surfaces/cli/entry
 * The `homelab` binary. `--version` answers without loading anything else; every other
 * command loads the CLI lazily. `process.exit` is called here and only here.
 */
declare const HOMELAB_VERSION: string;

// A write into a closed pipe (`homelab … | head -1`) is an 'error' event on the stream;
// unhandled, it would exit 1 with a stack trace. Nothing is left to do with it here: each
// run's own watch (closed-output.ts) decides what stops and which exit code it is.
const ignore = (): void => undefined;
process.stdout.on('error', ignore);
process.stderr.on('error', ignore);

const argv = process.argv.slice(2);
if (argv[0] === '--version' || argv[0] === '-V') {
  process.stdout.write(`${HOMELAB_VERSION}\n`);
} else {
  // Most of a command's start-up is V8 compiling zod, yaml and our chunks. Node 22.1+ can keep
  // that work in an on-disk cache (os.tmpdir()/node-compile-cache); Node 20 has no such cache
  // for ES modules, so there this is a no-op.
  const { enableCompileCache } = (await import('node:module')) as { enableCompileCache?: () => unknown };
  enableCompileCache?.();
  const { main } = await import('./main.js');
  const code = await main(argv, HOMELAB_VERSION);
  process.exitCode = code;
}
