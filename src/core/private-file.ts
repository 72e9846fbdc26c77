/**
 * @module core/private-file
 * The files that grant control of the lab, judged the way credentials are
 * (`core/trusted-owner`): credentials themselves (`core/credentials`), the bot's allowlist
 * (`<data>/telegram/authorized_users`), the dashboard's logins (`<config home>/web/passwords`),
 * the MCP bearer token (`<data>/mcp/token` or `mcp.token_file`) and an SSH private key. Each
 * must belong to you or root (as root, also the config home's owner), and sit in a folder of
 * someone trusted that others may not write unless sticky; a linked one is judged where it
 * really is too. Its mode:
 * - the dashboard's logins and the MCP token: 0600;
 * - the allowlist (ids, no secret) as config.yaml: not writable by others; group-writable is
 *   fine, and a group you are in may share it from another owner under config.yaml's rule;
 * - an SSH key as OpenSSH wants it: 0600 when it is yours; one root (or, as root, the config
 *   home's owner) keeps may be readable by its group (`root:homelab 0640` for the deploy/
 *   units' user), never by others nor writable by anyone but its owner.
 * Otherwise it is refused (exit 3) with the one-line fix. A check costs one stat of the
 * folder more than the file's own; the config home is stat'ed only when an owner is not
 * you or root.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, fileAccessError, fileProblem } from './errors.js';
import { configHome } from './paths.js';
import { checkFolder, checkOwner, checkRealPlace, configHomeOf, currentIdentity, homeFacts, linkStat, octal, statOrNothing, type FolderOf, type HomeFacts, type Identity } from './trusted-owner.js';

/** One kind of file that grants control: its noun in messages (`allowlist`, `password`, `token`, `SSH key`) and what whoever changes it decides. */
export interface PrivateKind {
  noun: string;
  decides: string;
  /** The mode bits refused (default 0o077: the file is 0600, the fix `chmod 600`; else the fix takes these bits away). */
  refused?: number;
  /** The mode bits refused when the file belongs to a trusted owner who is not you (root): default `refused`. */
  refusedOfOthers?: number;
  /** Whether a group you are in may share it (and its folder) as it may config.yaml. */
  shared?: boolean;
  /** What its owner controls, in messages (default: `whoever owns it decides <decides>`). */
  why?: string;
  /** What its folders' messages say it holds (default: this kind). */
  folderOf?: FolderOf;
}

/** Credentials files (`core/credentials`): 0600, with their own words. */
export const CREDENTIALS: PrivateKind = { noun: 'credentials', decides: 'the account homelab acts as', why: 'whoever owns it chooses the account homelab acts as', folderOf: 'credentials' };
/** The bot's allowlist: who may use the bot. It holds user ids, no secret (the original bot's was 0644): judged as config.yaml is, only others may not write it. */
export const ALLOWLIST: PrivateKind = { noun: 'allowlist', decides: 'who may use the bot', refused: 0o002, shared: true };
/** The dashboard's password file. */
export const PASSWORDS: PrivateKind = { noun: 'password', decides: 'who may log in to the dashboard' };
/** The MCP bearer token. */
export const MCP_TOKEN: PrivateKind = { noun: 'token', decides: 'who may call the MCP server' };
/** An SSH private key: 0600 when yours, as OpenSSH wants; root's may be readable by its group (never by others, nor writable). */
export const SSH_KEY: PrivateKind = { noun: 'SSH key', decides: 'who may log in to the hosts as homelab', refusedOfOthers: 0o027 };

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
 * it is a link) could be changed (or, per its kind, read) by someone `who` does not trust: an
 * owner, a mode (`checkMode`, unless `mode` is false: credentials judge theirs), or a folder
 * holding it (its real one when linked) that homelab does not trust. `env` gives the config
 * home (for root's rule).
 */
export function checkPrivateFile(
  path: string,
  found: { stat: Stats; link: boolean },
  kind: PrivateKind,
  env: NodeJS.ProcessEnv = process.env,
  who: Identity | undefined = currentIdentity(),
  mode = true,
): void {
  let home: HomeFacts | undefined | null = null;
  const homeOf = (): HomeFacts | undefined => (home === null ? (home = homeFacts(configHomeOf(configHome(env)))) : home);
  checkOwner(`${kind.noun} file`, path, found.stat, homeOf, who, kind.why ?? `whoever owns it decides ${kind.decides}`, kind.shared);
  if (mode) checkMode(path, found.stat, kind, who);
  folderCheck(dirname(path), kind, homeOf, who);
  if (found.link) checkRealPlace(path, kind.folderOf ?? kind, homeOf, who);
}

/** Who the permission bits `bits` open a file to: `group`, `others`, or both. */
const whom = (bits: number): string => ((bits & 0o070) && (bits & 0o007) ? 'group or others' : bits & 0o070 ? 'group' : 'others');

/** The chmod taking the bits `refused` away: `600` for 0o077, else symbolic (`o-w`, `g-w,o-rwx`). */
function chmodFix(refused: number): string {
  if (refused === 0o077) return '600';
  const part = (who: string, bits: number): string => (bits ? `${who}-${bits & 4 ? 'r' : ''}${bits & 2 ? 'w' : ''}${bits & 1 ? 'x' : ''}` : '');
  return [part('g', (refused >> 3) & 7), part('o', refused & 7)].filter(Boolean).join(',');
}

/**
 * Throws a ConfigError when the mode of the file at `path` (`stat`, trusted already) has any
 * bit its kind refuses: `refused` when it is yours (or `who` is unknown), else
 * `refusedOfOthers`; the fix takes those bits away (with sudo when it is not yours to chmod).
 */
function checkMode(path: string, stat: Stats, kind: PrivateKind, who: Identity | undefined): void {
  const own = who === undefined || stat.uid === who.uid;
  const refused = own ? (kind.refused ?? 0o077) : (kind.refusedOfOthers ?? kind.refused ?? 0o077);
  const bad = stat.mode & refused;
  if (bad === 0) return;
  const writable = bad & 0o022;
  const open = writable !== 0
    ? `writable by ${whom(writable)} (mode ${octal(stat.mode)}): ${writable & 0o002 ? 'anyone' : 'its group'} could change ${kind.decides}`
    : `readable by ${whom(bad)} (mode ${octal(stat.mode)})`;
  const sudo = own || who?.uid === 0 ? '' : 'sudo ';
  throw new ConfigError(`${kind.noun} file ${path} is ${open}`, `run: ${sudo}chmod ${chmodFix(refused)} ${path}`);
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
  const of = kind.folderOf ?? kind;
  // A credentials folder keeps its own words (checkOwner's default: where credentials are sent).
  if (typeof of === 'string') checkOwner(`${kind.noun} folder`, dir, folder, homeOf, who);
  else checkOwner(`${kind.noun} folder`, dir, folder, homeOf, who, `whoever owns it decides ${kind.decides}`, kind.shared);
  checkFolder(dir, folder, of);
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

/**
 * Why `path` cannot be looked at, when it is not simply missing (a folder on its path closed
 * to this user, a link loop): a FileAccessError naming it; undefined when it is missing.
 */
export function missingOrUnreadable(path: string): unknown {
  try {
    statSync(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : fileAccessError(err, path, 'read');
  }
  return undefined;
}
