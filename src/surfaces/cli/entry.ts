/**
 * @module surfaces/cli/entry
 * The `homelab` binary. `--version` answers without loading anything else; every other
 * command loads the CLI lazily. `process.exit` is called here and only here.
 */
declare const HOMELAB_VERSION: string;

const argv = process.argv.slice(2);
if (argv[0] === '--version' || argv[0] === '-V') {
  process.stdout.write(`${HOMELAB_VERSION}\n`);
} else {
  const { main } = await import('./main.js');
  const code = await main(argv, HOMELAB_VERSION);
  process.exitCode = code;
}
