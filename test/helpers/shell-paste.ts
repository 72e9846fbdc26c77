/**
 * @module test/helpers/shell-paste
 * Pastes a command line homelab printed into a real POSIX shell (`sh -c`), in a folder of its
 * own, as a person would: what the shell then ran is what the line says. A hostile word in it
 * (`$(touch pwned)`, a backtick) that the line failed to quote leaves a file in that folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a pasted line did. */
export interface Pasted {
  /** The shell's exit code. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The words of each `homelab` run, as the shell gave them (only with the recording `homelab`). */
  runs: string[][];
  /** What the folder the line ran in holds afterwards: nothing, unless a payload ran. */
  files: string[];
}

/** The recording `homelab`: a shell function that writes its words (unit separator between, record separator after) to `$PASTE_RUNS`. */
const RECORDING = `homelab() { for w in "$@"; do printf '%s\\037' "$w"; done; printf '\\036'; } >>"$PASTE_RUNS"\n`;

/**
 * Runs `line` with `sh -c` in a new empty folder. `homelab`: a shell function recording its
 * words (default), or, given `homelab` (a command line, its words quoted), an executable
 * `homelab` first on PATH that runs it with the words. `env`: added to the shell's environment.
 * Asynchronous: the simulators a test started answer in the test's own process.
 */
export async function pasteIntoShell(line: string, options: { homelab?: string; env?: Record<string, string> } = {}): Promise<Pasted> {
  const root = mkdtempSync(join(tmpdir(), 'homelab-paste-'));
  const cwd = join(root, 'here');
  const bin = join(root, 'bin');
  const runsFile = join(root, 'runs');
  try {
    for (const dir of [cwd, bin]) mkdirSync(dir);
    writeFileSync(runsFile, '');
    let script = RECORDING + line;
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: root, ...options.env, PASTE_RUNS: runsFile };
    if (options.homelab) {
      script = line;
      writeFileSync(join(bin, 'homelab'), `#!/bin/sh\nexec ${options.homelab} "$@"\n`, { mode: 0o755 });
      env.PATH = `${bin}:${env.PATH ?? ''}`;
    }
    const res = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`sh -c ${line} did not end\n${stderr}`)); }, 60_000);
      child.on('error', reject);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    });
    const runs = readFileSync(runsFile, 'utf8').split('\x1e').filter((r) => r !== '').map((r) => r.split('\x1f').slice(0, -1));
    return { ...res, runs, files: readdirSync(cwd) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
