/**
 * @module services/setup/doctor/control-files
 * The files besides credentials that decide who controls the lab, judged as their readers
 * judge them (`core/private-file`): the bot's allowlist, the dashboard's password file and
 * the MCP bearer token (`mcp.token_file`, else the generated one). One that exists passes,
 * naming who may change it (its owner, a group that may write the allowlist, and root), or
 * fails (exit 3, with the fix); one that does not is not mentioned (its reader makes it or
 * goes without). The token file also fails when its token is not one a request can send
 * (`core/bearer-token`: whitespace inside it), as `homelab mcp --http` refuses it.
 */
import { readFileSync, type Stats } from 'node:fs';
import { bearerTokenIn } from '../../../core/bearer-token.js';
import { fileAccessError } from '../../../core/errors.js';
import type { HomelabConfig } from '../../../core/config.js';
import { dataHome, expandHome } from '../../../core/paths.js';
import { groupName, ownerName } from '../../../core/user-names.js';
import { ALLOWLIST, generatedTokenFile, MCP_TOKEN, passwordsFile, PASSWORDS, statPrivateFile, type PrivateKind } from '../../../core/private-file.js';
import { authorizedUsersFile } from '../../telegram/allowlist.js';
import { check, failed, type DoctorCheck } from './check.js';

/** Who may change a file that passed (`stat`): its owner, its group when it may write it (only an allowlist passes so), and root. */
function changers(stat: Stats): string {
  const who = [
    stat.uid === 0 ? 'root' : `${ownerName(stat.uid)} (its owner)`,
    ...((stat.mode & 0o020) !== 0 ? [`the group ${groupName(stat.gid)}`] : []),
    ...(stat.uid === 0 ? [] : ['root']),
  ];
  return `only ${who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who.at(-1) ?? ''}` : who[0] ?? 'root'} may change it`;
}

/** The text of the token file at `path`; a failure to read it said with its path. */
function readToken(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw fileAccessError(err, path, 'read');
  }
}

/** One check per control file that exists: its owner's (you, root, or as root the config home's), closed to others, in a safe folder. */
export function controlFileChecks(config: HomelabConfig, env: NodeJS.ProcessEnv): DoctorCheck[] {
  const tokenFile = typeof config.mcp?.token_file === 'string' && config.mcp.token_file ? expandHome(config.mcp.token_file) : generatedTokenFile(dataHome(env));
  const files: [string, string, PrivateKind][] = [
    ['allowlist', authorizedUsersFile(dataHome(env)), ALLOWLIST],
    ['passwords', passwordsFile(env), PASSWORDS],
    ['mcp token', tokenFile, MCP_TOKEN],
  ];
  const out: DoctorCheck[] = [];
  for (const [name, path, kind] of files) {
    try {
      const stat = statPrivateFile(path, kind, env);
      if (stat && kind === MCP_TOKEN) bearerTokenIn(readToken(path), path);
      if (stat) out.push(check('files', name, 'pass', `${path}: ${changers(stat)}, which decides ${kind.decides}`));
    } catch (err) {
      out.push(failed('files', name, err));
    }
  }
  return out;
}
