/**
 * @module surfaces/cli/entry
 * The `homelab` binary (built as dist/cli.cjs: CommonJS, which Node starts a few
 * milliseconds sooner than an ES module). `--version` answers without loading anything else
 * (output it cannot write, a full disk, is exit 1 with one line, as for any command);
 * every other command runs the CLI bundle (run-bundle.ts). The exit code is set here and
 * only here.
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
  // As main's runs: a reader gone away is not a failure; any other write error (a full disk) lost the output, exit 1.
  process.stdout.write(`${HOMELAB_VERSION}\n`, (err?: NodeJS.ErrnoException | null) => {
    if (!err || err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`homelab: cannot write the output: ${err.code ?? err.message}\n`);
    process.exitCode = 1;
  });
} else {
  import('./run-bundle.js')
    .then(({ runCli }) => runCli(argv, HOMELAB_VERSION))
    .then(
      (code) => { process.exitCode = code; },
      (err: unknown) => {
        // main() turns every error of a command into one line; this is the bundle failing to start.
        process.stderr.write(`homelab: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
        process.exitCode = 1;
      },
    );
}
