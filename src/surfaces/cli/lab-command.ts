/**
 * @module surfaces/cli/lab-command
 * `homelab lab [--latency MS] [--task MS] [--dir DIR] [--json]`: starts every simulator on loopback, writes a
 * config home pointing at them and prints how to use it, then runs until Ctrl-C.
 */
import { z } from 'zod';
import { splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';

const options = z.object({
  latency: z.coerce.number({ error: '--latency must be a number of milliseconds' }).int().min(0).max(60_000).default(0),
  dir: z.string().optional(),
  task: z.coerce.number({ error: '--task must be a number of milliseconds' }).int().min(0).default(1500),
});

/** Runs the lab until interrupted. */
export async function labCommand(words: string[]): Promise<number> {
  const { flags, positionals } = splitWords(words);
  if (flags.has('help')) {
    process.stdout.write('Usage: homelab lab [--latency MS] [--task MS] [--dir DIR] [--json]\n\nStarts the simulated homelab on 127.0.0.1 and prints the environment to point homelab at it (--json: as one JSON line).\n');
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const parsed = options.safeParse(Object.fromEntries([...flags].filter(([k]) => k !== 'json')));
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const { startLab } = await import('../../lab/lab.js');
  const lab = await startLab({ latencyMs: parsed.data.latency, taskDurationMs: parsed.data.task, dir: parsed.data.dir });
  const { attachSshTargets } = await import('../../lab/ssh-target/index.js');
  const ssh = await attachSshTargets(lab).catch(async (err: unknown) => { await lab.close(); throw err; });
  const info = { env: lab.env, services: Object.fromEntries([...lab.sims].map(([k, s]) => [k, s.url])) };
  if (flags.has('json')) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    process.stdout.write(`Simulated homelab running (Ctrl-C to stop):\n`);
    for (const [name, url] of Object.entries(info.services)) process.stdout.write(`  ${name.padEnd(8)} ${url}\n`);
    process.stdout.write(`  ${'ssh'.padEnd(8)} ${[...ssh.targets.values()].map((t) => `${t.profile.name} 127.0.0.1:${t.port}`).join(', ')} (${ssh.server === 'sshd' ? 'OpenSSH sshd' : "ssh2's SSH server"})\n`);
    process.stdout.write(`\nIn another shell:\n  export HOMELAB_CONFIG_HOME=${lab.env.HOMELAB_CONFIG_HOME} HOMELAB_DATA_HOME=${lab.env.HOMELAB_DATA_HOME}\n  homelab pve list\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ssh.close();
  await lab.close();
  return 0;
}
