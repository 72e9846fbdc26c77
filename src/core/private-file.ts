/**
 * @module core/private-file
 * The files besides credentials that grant control of the lab, judged the way credentials
 * are (`core/trusted-owner`): the bot's allowlist (`<data>/telegram/authorized_users`), the
 * dashboard's logins (`<config home>/web/passwords`), the MCP bearer token (`<data>/mcp/token`
 * or `mcp.token_file`) and an SSH private key. Each must belong to you or root (as root, also
 * the config home's owner), be closed to group and others (0600; an SSH key as OpenSSH wants
 * it, a key others may read is one others hold), and sit in a folder of someone trusted that
 * others may not write unless sticky; a linked one is judged where it really is too.
 * Otherwise it is refused (exit 3) with the one-line fix. A check costs one stat of the
 * folder more than the file's own; the config home is stat'ed only when an owner is not
 * you or root.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, fileAccessError, fileProblem } from './errors.js';
import { configHome } from './paths.js';
import { checkFolder, checkOwner, checkRealPlace, configHomeOf, currentIdentity, homeFacts, linkStat, octal, statOrNothing, type HomeFacts, type Identity } from './trusted-owner.js';

/** One kind of file that grants control: its noun in messages (`allowlist`, `password`, `token`, `SSH key`) and what whoever changes it decides. */
export interface PrivateKind {
  noun: string;
  decides: string;
  /** The mode bits refused (default 0o077: the file is 0600); the fix is always `chmod 600`. */
  refused?: number;
}

/** The bot's allowlist: who may use the bot. Only writing it is refused to others: it holds user ids, no secret (the original bot's was 0644). */
export const ALLOWLIST: PrivateKind = { noun: 'allowlist', decides: 'who may use the bot', refused: 0o022 };
/** The dashboard's password file. */
export const PASSWORDS: PrivateKind = { noun: 'password', decides: 'who may log in to the dashboard' };
/** The MCP bearer token. */
export const MCP_TOKEN: PrivateKind = { noun: 'token', decides: 'who may call the MCP server' };
/** An SSH private key. */
export const SSH_KEY: PrivateKind = { noun: 'SSH key', decides: 'who may log in to the hosts as homelab' };

/** The dashboard's password file: `$HOMELAB_CONFIG_HOME/web/passwords`. */
export function passwordsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'web', 'passwords');
}

/** Where a generated MCP token is kept: `<data>/mcp/token`. */
export function generatedTokenFile(dataDir: string): string {
  return join(dataDir, 'mcp', 'token');
}

/**
 * Throws a ConfigError when the file at `path` (`found`: its stat, links followed, and whether
 * it is a link) could be read or changed by someone `who` does not trust: a mode with any of
 * `kind.refused` (0o077), an owner, or a folder holding it (its real one when linked), that
 * homelab does not trust. `env` gives the config home (for root's rule).
 */
export function checkPrivateFile(path: string, found: { stat: Stats; link: boolean }, kind: PrivateKind, env: NodeJS.ProcessEnv = process.env, who: Identity | undefined = currentIdentity()): void {
  let home: HomeFacts | undefined | null = null;
  const homeOf = (): HomeFacts | undefined => (home === null ? (home = homeFacts(configHomeOf(configHome(env)))) : home);
  const why = `whoever owns it decides ${kind.decides}`;
  checkOwner(`${kind.noun} file`, path, found.stat, homeOf, who, why);
  const { mode } = found.stat;
  if ((mode & (kind.refused ?? 0o077)) !== 0) {
    const open = (mode & 0o022) !== 0 ? `writable by group or others (mode ${octal(mode)}): anyone could change ${kind.decides}` : `readable by group or others (mode ${octal(mode)})`;
    throw new ConfigError(`${kind.noun} file ${path} is ${open}`, `run: chmod 600 ${path}`);
  }
  folderCheck(dirname(path), kind, homeOf, who);
  if (found.link) checkRealPlace(path, kind, homeOf, who);
}

/**
 * Throws a ConfigError when the folder `dir`, where a file of `kind` is about to be written,
 * belongs to someone `who` does not trust or others may write it (not sticky): whoever may
 * could swap the file. A missing folder passes (the writer makes it, 0700).
 */
export function checkPrivateFolder(dir: string, kind: PrivateKind, env: NodeJS.ProcessEnv = process.env, who: Identity | undefined = currentIdentity()): void {
  folderCheck(dir, kind, () => homeFacts(configHomeOf(configHome(env))), who);
}

/** The folder part of the checks: its owner, and others may not write it unless sticky. */
function folderCheck(dir: string, kind: PrivateKind, homeOf: () => HomeFacts | undefined, who: Identity | undefined): void {
  const folder = statOrNothing(dir);
  if (!folder) return;
  checkOwner(`${kind.noun} folder`, dir, folder, homeOf, who, `whoever owns it decides ${kind.decides}`);
  checkFolder(dir, folder, kind);
}

/**
 * The stat of the file that grants control at `path`, checked (`checkPrivateFile`); undefined
 * when it does not exist. A directory in its place, or a path that cannot be looked at (a
 * folder closed to this user, a link loop), is a FileAccessError naming it.
 */
export function statPrivateFile(path: string, kind: PrivateKind, env: NodeJS.ProcessEnv = process.env, who: Identity | undefined = currentIdentity()): Stats | undefined {
  const found = linkStat(path);
  if (!found) {
    const missing = missingOrUnreadable(path);
    if (missing) throw missing;
    return undefined;
  }
  if (found.stat.isDirectory()) throw fileProblem('EISDIR', path, 'read');
  checkPrivateFile(path, found, kind, env, who);
  return found.stat;
}

/** Why `path` cannot be looked at, when it is not simply missing; undefined when it is missing. */
function missingOrUnreadable(path: string): unknown {
  try {
    statSync(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fileAccessError(err, path, 'read');
  }
  return undefined;
}
