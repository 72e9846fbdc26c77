/**
 * @module lab/demo-run
 * The demo: starts the simulated homelab on loopback, points a temporary config at it, and
 * runs the tour in `demo-tour.ts` through the real CLI code path. `npm run demo` (demo.ts)
 * and `homelab demo` (surfaces/cli/demo-command.ts, from the installed package) both run it;
 * each passes the lab and the CLI's `main` as it loads them (the CLI bundle takes the lab
 * from dist/lab.cjs), so this module imports neither. The tour runs in the lab it starts,
 * whatever lab the shell names (HOMELAB_CONTEXT is left out of its environment); a step
 * ending with another exit code than the one it shows on purpose (`TourStep.exitCode`)
 * fails the demo: it says which steps, and exits 1.
 */
import { OperationError } from '../core/errors.js';
import { shellWord } from '../core/shell-word.js';
import type { RunningLab } from './lab.js';
import type { SshLab } from './ssh-target/ssh-lab.js';
import { tour } from './demo-tour.js';
import { sshServerPreference } from './ssh-target/server-preference.js';

/** What the demo runs with. */
export interface DemoDeps {
  startLab(options: { taskDurationMs: number }): Promise<RunningLab>;
  attachSshTargets(lab: RunningLab): Promise<SshLab>;
  main(argv: string[], version: string, io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv; stdinIsTTY: boolean }): Promise<number>;
  version: string;
  /** How the closing lines name the CLI: `homelab`, or `node dist/cli.js` in a clone. */
  cli: string;
}

const bold = (s: string): string => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[22m` : s);

/** Runs the demo to its end; the lab is closed afterwards, whatever happened. */
export async function runDemo(deps: DemoDeps): Promise<void> {
  // A bad HOMELAB_LAB_SSH_SERVER fails here, before anything starts, as a config error.
  sshServerPreference(process.env);
  process.stdout.write(bold('Starting the simulated homelab on 127.0.0.1 …\n'));
  const lab = await deps.startLab({ taskDurationMs: 2500 });
  const ssh = await deps.attachSshTargets(lab).catch(async (err: unknown) => { await lab.close(); throw err; });
  // The lab's config has the one context `default`: a lab the shell names is not in it.
  const env: NodeJS.ProcessEnv = { ...process.env, ...lab.env };
  delete env.HOMELAB_CONTEXT;
  const failed: string[] = [];
  try {
    for (const [name, sim] of lab.sims) process.stdout.write(`  ${name.padEnd(8)} ${sim.url}\n`);
    process.stdout.write(`  ${'ssh'.padEnd(8)} ${ssh.targets.size} targets on ${ssh.server === 'sshd' ? 'OpenSSH sshd' : `ssh2's SSH server${process.env.HOMELAB_LAB_SSH_SERVER === 'ssh2' ? '' : ' (no sshd installed)'}`}: ${[...ssh.targets.values()].map((t) => `${t.profile.name} :${t.port}`).join(', ')}\n`);
    for (const step of tour) {
      // Words as a shell needs them (`--notes 'first boot'`), so a printed line can be pasted.
      const shown = step.args.map(shellWord).join(' ');
      process.stdout.write(`\n${bold(`# ${step.say}`)}\n${bold(`$ homelab ${shown}`)}\n`);
      const code = await deps.main(step.args, deps.version, { stdout: process.stdout, stderr: process.stderr, env, stdinIsTTY: false });
      if (code !== 0) process.stdout.write(`(exit code ${code})\n`);
      if (code !== (step.exitCode ?? 0)) failed.push(`homelab ${shown} (exit code ${code})`);
    }
    if (failed.length) {
      throw new OperationError(`the demo failed: ${failed.length} of ${tour.length} steps ended unexpectedly, the first: ${failed[0] ?? ''}`, 'the lines above say why');
    }
    const line = (command: string, what: string): string => `  ${`${deps.cli} ${command}`.padEnd(deps.cli.length + 20)} # ${what}`;
    process.stdout.write([
      '',
      bold('Try it yourself against the same simulated lab:'),
      line('lab', 'keeps the lab running; prints the export line to use'),
      line('bot --console', 'the Telegram bot on your terminal: /status, /pve start 201, free text to the inbox'),
      line('watch run', "the alert checks, once, against the lab's trouble"),
      line('mcp', 'the MCP server on stdio, for an AI agent (read-only tools by default)'),
      '',
      bold('Open the dashboard:') + ' with the lab running and its export line applied in a second terminal,',
      `  ${deps.cli} serve --allow change    # then open http://127.0.0.1:8480/ (the whole lab; start VM 201 from its page)`,
      '',
    ].join('\n'));
  } finally {
    await ssh.close();
    await lab.close();
  }
}
