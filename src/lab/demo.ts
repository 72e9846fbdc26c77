/**
 * @module lab/demo
 * `npm run demo`: the demo (demo-run.ts) from a clone, with the lab and the CLI loaded from
 * this build's modules. The installed package runs the same demo as `homelab demo`.
 */
import { startLab } from './lab.js';
import { attachSshTargets } from './ssh-target/index.js';
import { runDemo } from './demo-run.js';

declare const HOMELAB_VERSION: string;

const { main } = await import('../surfaces/cli/main.js');
await runDemo({ startLab, attachSshTargets, main, version: HOMELAB_VERSION, cli: 'node dist/cli.js' });
