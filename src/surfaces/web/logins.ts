/**
 * @module surfaces/web/logins
 * The dashboard's logins while it runs. Started by `homelab serve`, they come from the
 * password file, which is looked at again (one `stat`, at most once per `checkMs`, 1 s by
 * default: on a request and on a timer) and re-read when it changed (inode, size, times or
 * mode), with the same checks as at the start (mode 0600, `user:hash` lines). So a
 * `homelab serve passwd` while the dashboard runs takes effect within a second: from
 * then on everyone signs in. A session keeps a digest of the hash its user signed in
 * with (none when it was made without a login), and is good only while that is the user's
 * hash now: sessions made without a login end when a login appears, and those of a
 * removed user, or one whose password was set again, end too.
 *
 * When the file goes away, a loopback dashboard is login-free again, as a start without
 * it would be; any other address, or a file that can no longer be used (readable by
 * others, a bad line), fails closed: sign-in required and refused until it is fixed
 * (the log says why). Tests may give fixed users instead of a file.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { toHomelabError } from '../../core/errors.js';
import { readPasswordFile } from './passwords.js';

/** How `Logins` is made. */
export interface LoginsOptions {
  /** The password file, read now (a bad one throws ConfigError) and again when it changes. */
  file?: string;
  /** Fixed users (tests), when there is no `file`; none: the login-free local mode. */
  fixed?: ReadonlyMap<string, string>;
  /** Bound to loopback: without the file the dashboard is login-free (else it fails closed). */
  loopback: boolean;
  /** Least time between two looks at the file (default 1000 ms; 0: every request looks, no timer). */
  checkMs?: number;
  /** One line per change (never a hash). */
  log: (line: string) => void;
  now?: () => number;
}

/** What a session remembers of its login: a digest of the hash it signed in with. */
export function loginMark(hash: string | undefined): string | undefined {
  return hash === undefined ? undefined : createHash('sha256').update(hash).digest('base64url');
}

/** The file's identity and times: any write, replacement or chmod changes it; '' when it is missing. */
function fileSignature(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? '' : `error:${code ?? 'unknown'}`;
  }
}

const NOBODY: ReadonlyMap<string, string> = new Map();

/** The logins of one running dashboard. */
export class Logins {
  private users: ReadonlyMap<string, string> | undefined;
  private signature = '';
  private checkedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private changed: (() => void) | undefined;
  private readonly now: () => number;
  private readonly checkMs: number;

  constructor(private readonly options: LoginsOptions) {
    this.now = options.now ?? Date.now;
    this.checkMs = options.checkMs ?? 1000;
    this.checkedAt = this.now();
    if (options.file === undefined) {
      this.users = options.fixed;
      return;
    }
    this.signature = fileSignature(options.file);
    const users = readPasswordFile(options.file);
    this.users = users ?? (options.loopback ? undefined : NOBODY);
  }

  /** Calls `changed` after each change found; looks at the file every `checkMs` until `stop` (a timer that does not keep the process alive), not only on requests. */
  watch(changed: () => void): void {
    this.changed = changed;
    if (this.options.file === undefined || this.checkMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.refresh(true)) changed();
    }, this.checkMs);
    this.timer.unref();
  }

  /** Stops looking at the file. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The users who may sign in now (after a look at the file, when one is due); undefined: the login-free local mode. */
  current(): ReadonlyMap<string, string> | undefined {
    if (this.refresh(false)) this.changed?.();
    return this.users;
  }

  /** Whether visitors must sign in. */
  required(): boolean {
    return this.current() !== undefined;
  }

  /** The mark a new session of `user` keeps (undefined without a login), as of the last look at the file. */
  markOf(user: string): string | undefined {
    return loginMark(this.users?.get(user));
  }

  /** Whether a session (by its user and mark) is still good, as of the last look at the file (`current` looks). */
  admits(session: { user: string; login?: string | undefined }): boolean {
    const users = this.users;
    if (users === undefined) return true;
    return session.login !== undefined && session.login === loginMark(users.get(session.user));
  }

  /** Re-reads the file when due and changed; whether the logins changed. */
  private refresh(timer: boolean): boolean {
    const { file } = this.options;
    if (file === undefined) return false;
    const at = this.now();
    if (!timer && at - this.checkedAt < this.checkMs) return false;
    this.checkedAt = at;
    const signature = fileSignature(file);
    if (signature === this.signature) return false;
    this.signature = signature;
    this.users = this.read(file);
    if (this.users === undefined) this.options.log('the password file is gone: no sign-in, loopback only (as at a start without it)');
    else if (this.users.size > 0) this.options.log(`the password file changed: sign-in required (${this.users.size} user${this.users.size === 1 ? '' : 's'}); sessions without a login, or of a removed or changed user, ended`);
    return true;
  }

  /** The file's users; without it, none (loopback: login-free; else nobody may sign in); a bad file: nobody, the log says why. */
  private read(file: string): ReadonlyMap<string, string> | undefined {
    const refused = (why: string): ReadonlyMap<string, string> => {
      this.options.log(`${why}: every sign-in is refused and every session ended until it is fixed`);
      return NOBODY;
    };
    try {
      const users = readPasswordFile(file);
      if (users) return users;
      return this.options.loopback ? undefined : refused(`the password file ${file} is gone (homelab serve passwd sets a login)`);
    } catch (err) {
      const e = toHomelabError(err);
      return refused(`${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    }
  }
}
