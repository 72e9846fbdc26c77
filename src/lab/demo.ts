/**
 * @module lab/demo
 * `npm run demo`: the demo (demo-run.ts) from a clone, with the lab and the CLI loaded from
 * this build's modules. The installed package runs the same demo as `homelab demo`. A
 * failure ends it as the CLI ends one: `homelab: <message>` (redacted, with its hint) and
 * the error's exit code (a bad HOMELAB_LAB_SSH_SERVER: 3), never a stack trace.
 */
import { reportError } from '../surfaces/cli/report-error.js';
import { painter, useColor } from '../surfaces/shared/terminal.js';
import { startLab } from './lab.js';
import { attachSshTargets } from './ssh-target/index.js';
import { runDemo } from './demo-run.js';

declare const HOMELAB_VERSION: string;

try {
  const { main } = await import('../surfaces/cli/main.js');
  await runDemo({ startLab, attachSshTargets, main, version: HOMELAB_VERSION, cli: 'node dist/cli.js' });
} catch (err) {
  process.exitCode = reportError(err, process.stderr, process.env, painter(useColor(process.stderr, process.env)));
}
