/**
 * @module surfaces/web/passwd-command
 * `homelab serve passwd [--user NAME]`: sets a dashboard password. On a terminal it
 * asks twice without echo; otherwise it reads one line from stdin (for scripts). Only
 * the scrypt hash is stored, in a 0600 file; the password is never printed. This is a
 * CLI command, not an operation: no other surface can set a login.
 */
import { z } from 'zod';
import { InterruptedError, UsageError } from '../../core/errors.js';
import { parseDaemonFlags } from '../shared/daemon-flags.js';
import { localUserName } from './local-user.js';
import { setPassword } from './passwords.js';
import { serveOptions, valueFlags } from '../shared/command-options.js';

const HELP = `Usage: homelab serve passwd [--user NAME]

Sets the dashboard password of NAME (default: your user name). On a terminal it asks
twice; otherwise it reads the password from the first line of stdin. The scrypt hash
goes into $HOMELAB_CONFIG_HOME/web/passwords (mode 0600), which it repairs: a damaged
line is dropped with a warning naming its number and user (NAME's own is replaced), so
a file the dashboard refuses is fixed by setting a password. From then on the dashboard
asks everyone to sign in, a running one too (within a second): its sessions made
without a login end, and so do NAME's when the password is set again.
`;

const optionsSchema = z.object({ user: z.string().min(1, '--user needs a name').optional() });

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10) || Buffer.concat(chunks).length > 4096) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Runs `homelab serve passwd`; returns the exit code. */
export async function passwdCommand(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { options, help } = parseDaemonFlags(words, optionsSchema, valueFlags(serveOptions.words?.passwd ?? []), 'serve passwd');
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const user = options.user ?? localUserName();
  let password: string;
  if (process.stdin.isTTY) {
    const { ask: askTerminal } = await import('../shared/terminal.js');
    // Ctrl-C or the end of input (Ctrl-D) at either question: exit 130, the file untouched.
    const ask = (question: string): Promise<string> => askTerminal(question, { secret: true }).catch((err: unknown) => {
      throw err instanceof InterruptedError ? new InterruptedError(`${err.message}; no password was set`) : err;
    });
    password = await ask(`New dashboard password for ${user}: `);
    const again = await ask('Repeat it: ');
    if (password !== again) throw new UsageError('the two passwords differ; nothing was changed');
  } else {
    password = await readStdinLine();
    if (password === '') throw new UsageError('no password given: the first line of stdin is empty; nothing was changed', 'e.g. printf \'%s\\n\' "$PASSWORD" | homelab serve passwd, or run it in a terminal to be asked');
  }
  const file = await setPassword(user, password, env, (note) => process.stderr.write(`homelab serve passwd: warning: ${note}\n`));
  process.stdout.write(`Password of ${user} set in ${file}. From now on the dashboard asks everyone to sign in, a running one too (within a second).\n`);
  return 0;
}
