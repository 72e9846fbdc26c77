/**
 * @module surfaces/web/lab-names
 * The labs a running dashboard serves follow config.yaml: as with the password file
 * (logins), a request looks at the file (one `stat`, at most once per `checkMs`, 1 s by
 * default) and, when it changed, reads the contexts it defines again. A lab added since
 * the start can then be chosen in the header's selector and named by a form; one removed
 * is refused like any unknown name (a session looking at it is back in the home lab). The
 * home lab is always served, and a lab already in use keeps the config and clients it was
 * made with (a change to its services takes a restart). Every lab's stored secrets are
 * registered again whenever the file is taken, so a lab added shows its tokens as `***` even
 * before its clients have loaded them. A config.yaml that cannot be read
 * now (not YAML, others may write it) changes nothing: the dashboard keeps its labs and
 * the log says why, once.
 */
import { loadConfig } from '../../core/config.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { toHomelabError } from '../../core/errors.js';
import type { LabSet } from '../../core/lab-set.js';
import { redact } from '../../core/redact.js';
import { fileSignature } from './file-signature.js';

/** How `LabNames` is made. */
export interface LabNamesOptions {
  /** config.yaml, as the config the dashboard started with names it. */
  file: string;
  /** The dashboard's environment (where config.yaml is read from). */
  env: NodeJS.ProcessEnv;
  /** Least time between two looks at the file (default 1000 ms; 0: on every request). */
  checkMs?: number;
  /** One line per change (the labs now served, or why the file was not taken). */
  log: (line: string) => void;
  now?: () => number;
}

/** Keeps a dashboard's labs as config.yaml defines them now. */
export class LabNames {
  private signature: string;
  private checkedAt: number;
  private readonly now: () => number;
  private readonly checkMs: number;

  constructor(private readonly labs: LabSet, private readonly options: LabNamesOptions) {
    this.now = options.now ?? Date.now;
    this.checkMs = options.checkMs ?? 1000;
    this.checkedAt = this.now();
    this.signature = fileSignature(options.file);
  }

  /** Looks at config.yaml when a look is due, and takes its contexts when it changed. */
  refresh(): void {
    const at = this.now();
    if (this.checkMs > 0 && at - this.checkedAt < this.checkMs) return;
    this.checkedAt = at;
    const signature = fileSignature(this.options.file);
    if (signature === this.signature) return;
    this.signature = signature;
    const before = this.labs.names().join(', ');
    try {
      const config = loadConfig(this.options.env);
      this.labs.follow(config.contextNames ?? [config.context ?? this.labs.home]);
    } catch (err) {
      const e = toHomelabError(err);
      this.options.log(`config.yaml changed but cannot be used (${redact(e.message)}): the dashboard keeps serving ${before}`);
      return;
    }
    // A lab added since the start: its stored secrets are redacted before any of its clients loads them.
    registerStoredSecrets(this.options.env);
    const after = this.labs.names().join(', ');
    if (after !== before) this.options.log(`config.yaml changed: the dashboard serves ${after}`);
  }
}
