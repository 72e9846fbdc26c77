/**
 * @module services/general/doctor/control-files
 * The files besides credentials that decide who controls the lab, judged as their readers
 * judge them (`core/private-file`): the bot's allowlist, the dashboard's password file and
 * the MCP bearer token (`mcp.token_file`, else the generated one). One that exists passes
 * or fails (exit 3, with the fix); one that does not is not mentioned (its reader makes it
 * or goes without).
 */
import type { HomelabConfig } from '../../../core/config.js';
import { dataHome, expandHome } from '../../../core/paths.js';
import { ALLOWLIST, generatedTokenFile, MCP_TOKEN, passwordsFile, PASSWORDS, statPrivateFile, type PrivateKind } from '../../../core/private-file.js';
import { authorizedUsersFile } from '../../telegram/allowlist.js';
import { check, failed, type DoctorCheck } from './check.js';

/** One check per control file that exists: yours or root's, closed to others, in a safe folder. */
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
      if (statPrivateFile(path, kind, env)) out.push(check('files', name, 'pass', `${path}: only you (or root) may change it, which decides ${kind.decides}`));
    } catch (err) {
      out.push(failed('files', name, err));
    }
  }
  return out;
}
