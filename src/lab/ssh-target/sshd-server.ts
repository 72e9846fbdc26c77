/**
 * @module lab/ssh-target/sshd-server
 * The SSH server of a simulated target when OpenSSH is installed: a real `sshd` on
 * 127.0.0.1 with its own config in the target's directory, accepting only the keys in
 * the target's `authorized_keys`, every command forced through the session wrapper.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellWord } from '../../core/shell-word.js';
import { sshdConfigQuote } from './sh-quote.js';
import { freePort, sshdVersion, startSshd, type SshdProcess, type StartSshdOptions } from './sshd.js';

/** A listening sshd of one target. */
export interface SshdServer {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts sshd in `dir` (which holds `authorized_keys`), retrying when its port was taken
 * meanwhile. It ends with this process however that ends (`options`: startSshd).
 */
export async function startSshdServer(sshd: string, dir: string, hostKeyPath: string, wrapper: string, options: StartSshdOptions = {}): Promise<SshdServer> {
  const [major, minor] = sshdVersion(sshd);
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    writeFileSync(configPath, sshdConfig(dir, port, hostKeyPath, wrapper, major * 100 + minor >= 908));
    let proc: SshdProcess;
    try {
      proc = await startSshd(sshd, configPath, options);
    } catch (err) {
      lastError = err as Error;
      if (/bind|address already in use/i.test(lastError.message)) continue;
      throw err;
    }
    return { port, log: () => proc.log(), stop: () => proc.stop() };
  }
  throw lastError ?? new Error('sshd could not bind a port');
}

function sshdConfig(dir: string, port: number, hostKey: string, wrapper: string, hasPenalties: boolean): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${sshdConfigQuote(hostKey)}`,
    `PidFile ${sshdConfigQuote(join(dir, 'sshd.pid'))}`,
    `AuthorizedKeysFile ${sshdConfigQuote(join(dir, 'authorized_keys').replace(/%/g, '%%'))}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'PermitTTY no',
    'MaxStartups 50',
    'LogLevel INFO',
    // sshd hands the rest of this line to the shell (`sh -c`).
    `ForceCommand ${shellWord(wrapper)}`,
    ...(hasPenalties ? ['PerSourcePenalties no'] : []),
    '',
  ].join('\n');
}
