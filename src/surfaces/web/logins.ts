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
 * Once the dashboard has had a password file (at the start or since), it never becomes
 * login-free again while it runs: a file that goes away (deleted, moved) fails closed, as
 * does one that can no longer be used (readable by others, a bad line): sign-in required
 * and refused, every session ended, until the file is restored or fixed (the log says
 * so), or the dashboard restarted. Only a dashboard started without the file, on
 * loopback, is login-free, and stays so until one appears. (A login-free mode that a lost
 * file could bring back would open a dashboard behind a reverse proxy on the same machine
 * to everyone.) Tests may give fixed users instead of a file.
 */
import { createHash } from 'node:crypto';
import { toHomelabError } from '../../core/errors.js';
import { fileSignature } from './file-signature.js';
import { readPasswordFile } from './passwords.js';

/** How `Logins` is made. */
export interface LoginsOptions {
  /** The password file, read now (a bad one throws ConfigError) and again when it changes. */
  file?: string;
  /** The dashboard's environment: its config home decides whose file root trusts (default: the process's). */
  env?: NodeJS.ProcessEnv;
  /** Fixed users (tests), when there is no `file`; none: the login-free local mode. */
  fixed?: ReadonlyMap<string, string>;
  /** Bound to loopback: started without the file, the dashboard is login-free until one appears (else it fails closed). */
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

const NOBODY: ReadonlyMap<string, string> = new Map();

/** The logins of one running dashboard. */
export class Logins {
  private users: ReadonlyMap<string, string> | undefined;
  /** Whether a password file has been seen: from then on a missing one fails closed. */
  private guarded = false;
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
    const users = readPasswordFile(options.file, options.env);
    this.guarded = users !== undefined;
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
    if (this.users !== undefined && this.users.size > 0) this.options.log(`the password file changed: sign-in required (${this.users.size} user${this.users.size === 1 ? '' : 's'}); sessions without a login, or of a removed or changed user, ended`);
    return true;
  }

  /**
   * The file's users. Without it: login-free (undefined) on loopback while no file has been
   * seen, else nobody may sign in until it is restored. A bad file: nobody, the log says why.
   */
  private read(file: string): ReadonlyMap<string, string> | undefined {
    const refused = (why: string, until: string): ReadonlyMap<string, string> => {
      this.options.log(`${why}: every sign-in is refused and every session ended until ${until}`);
      return NOBODY;
    };
    try {
      const users = readPasswordFile(file, this.options.env);
      if (users) {
        this.guarded = true;
        return users;
      }
      if (this.options.loopback && !this.guarded) return undefined;
      return this.guarded
        ? refused(`the password file ${file} is gone`, this.options.loopback ? 'it is restored, or the dashboard restarted' : 'it is restored (homelab serve passwd sets a login)')
        : refused(`the password file ${file} is gone (homelab serve passwd sets a login)`, 'it is fixed');
    } catch (err) {
      const e = toHomelabError(err);
      this.guarded = true;
      return refused(`${e.message}${e.hint ? ` (${e.hint})` : ''}`, 'it is fixed');
    }
  }
}
