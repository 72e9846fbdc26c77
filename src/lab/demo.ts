/**
 * @module lab/demo
 * `npm run demo`: starts the simulated homelab on loopback, points a temporary config
 * at it, and runs the tour in `demo-tour.ts` through the real CLI code path.
 */
import { startLab } from './lab.js';
import { tour } from './demo-tour.js';

declare const HOMELAB_VERSION: string;

const bold = (s: string): string => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[22m` : s);

async function demo(): Promise<void> {
  process.stdout.write(bold('Starting the simulated homelab on 127.0.0.1 …\n'));
  const lab = await startLab({ taskDurationMs: 2500 });
  const { attachSshTargets } = await import('./ssh-target/index.js');
  const ssh = await attachSshTargets(lab).catch(async (err: unknown) => { await lab.close(); throw err; });
  const { main } = await import('../surfaces/cli/main.js');
  const env = { ...process.env, ...lab.env };
  try {
    for (const [name, sim] of lab.sims) process.stdout.write(`  ${name.padEnd(8)} ${sim.url}\n`);
    process.stdout.write(`  ${'ssh'.padEnd(8)} ${ssh.targets.size} targets on ${ssh.server === 'sshd' ? 'OpenSSH sshd' : "ssh2's SSH server (no sshd installed)"}: ${[...ssh.targets.values()].map((t) => `${t.profile.name} :${t.port}`).join(', ')}\n`);
    for (const step of tour) {
      process.stdout.write(`\n${bold(`# ${step.say}`)}\n${bold(`$ homelab ${step.args.join(' ')}`)}\n`);
      const code = await main(step.args, HOMELAB_VERSION, { stdout: process.stdout, stderr: process.stderr, env, stdinIsTTY: false });
      if (code !== 0) process.stdout.write(`(exit code ${code})\n`);
    }
    process.stdout.write([
      '',
      bold('Try it yourself against the same simulated lab:'),
      '  node dist/cli.js lab                 # keeps the lab running; prints the export line to use',
      '  node dist/cli.js bot --console       # the Telegram bot on your terminal: /status, /pve start 201, free text to the inbox',
      '  node dist/cli.js watch run           # the alert checks, once, against the lab\'s trouble',
      '  node dist/cli.js mcp                 # the MCP server on stdio, for an AI agent (read-only tools by default)',
      '',
      bold('Open the dashboard:') + ' with the lab running and its export line applied in a second terminal,',
      '  node dist/cli.js serve --allow change    # then open http://127.0.0.1:8480/ (the whole lab; start VM 201 from its page)',
      '',
    ].join('\n'));
  } finally {
    await ssh.close();
    await lab.close();
  }
}

await demo();
