/**
 * @module services/updates/parse-probe
 * Reads the `@@`-marked output of the probe script into what `updates check` reports:
 * the package manager, the OS name, pending packages with security flags, and whether
 * a reboot is pending. A failed listing command becomes an error naming it.
 */
import { OperationError } from '../../core/errors.js';
import type { ExecResult } from './ssh/session.js';
import { detailLines, rootHint } from './output-lines.js';
import { MANAGERS, type PackageManager } from './probe-script.js';
import { parseApk, parseApt, parseDnf, parseDnfSecurity, parsePacman, type PendingPackage } from './parsers.js';

/** What the probe found on one target. */
export interface ProbeResult {
  manager: PackageManager;
  os: string | null;
  packages: PendingPackage[];
  /** null: the manager cannot tell (apk, pacman) or did not say. */
  rebootRequired: boolean | null;
  /** Whether the package lists were refreshed, and the refresh's output when it failed. */
  refreshed: boolean;
  refreshError: string | null;
}

interface Section {
  name: string;
  lines: string[];
  rc: number | null;
}

/** Splits probe output into its sections. */
function sections(stdout: string): { pm: string | null; list: Map<string, Section>; complete: boolean } {
  const list = new Map<string, Section>();
  let pm: string | null = null;
  let current: Section | undefined;
  let complete = false;
  for (const line of stdout.split('\n')) {
    const mark = /^@@(\S+)(?:\s+(.*))?$/.exec(line);
    if (!mark) {
      current?.lines.push(line);
      continue;
    }
    const [, name = '', arg] = mark;
    if (name === 'pm') pm = arg ?? null;
    else if (name === 'rc' && current) current.rc = Number(arg);
    else if (name === 'end') complete = true;
    else {
      current = { name, lines: [], rc: null };
      list.set(name, current);
    }
  }
  return { pm, list, complete };
}

/**
 * The probe's outcome on `source`: throws OperationError, naming the exit status or signal,
 * when the probe itself failed (a guest that answers exit 1 or is killed is never upgraded
 * on the strength of its output), else parses it.
 */
export function probeOutcome(source: string, result: ExecResult, user: string): ProbeResult {
  if (result.code !== 0) {
    const details = detailLines(result.stderr || result.stdout);
    throw new OperationError(`${source}: the update check exited with ${result.code ?? `signal ${result.signal ?? '?'}`}`, rootHint(details, user), details);
  }
  return parseProbe(source, result.stdout, result.stderr, user);
}

/**
 * Parses the probe's stdout; throws OperationError when no package manager was found or
 * listing failed (with the root hint when `user`, the SSH user, is not root and needed to be).
 */
export function parseProbe(source: string, stdout: string, stderr: string, user = 'root'): ProbeResult {
  const { pm, list, complete } = sections(stdout);
  if (!complete || pm === null) {
    throw new OperationError(`${source}: the update check did not complete`, undefined, tail(stderr || stdout));
  }
  if (!MANAGERS.includes(pm as PackageManager)) {
    throw new OperationError(`${source}: no supported package manager found (looked for ${MANAGERS.join(', ')})`);
  }
  const manager = pm as PackageManager;
  const listing = list.get('list');
  const okRc = manager === 'dnf' || manager === 'yum' ? [0, 100] : [0];
  if (!listing || listing.rc === null || !okRc.includes(listing.rc)) {
    const details = tail(listing?.lines.join('\n') ?? stderr);
    throw new OperationError(`${source}: listing updates with ${manager} failed (exit ${listing?.rc ?? '?'})`, rootHint(details, user), details);
  }
  const text = listing.lines.join('\n');
  let packages: PendingPackage[];
  if (manager === 'apt') packages = parseApt(text);
  else if (manager === 'apk') packages = parseApk(text);
  else if (manager === 'pacman') packages = parsePacman(text);
  else {
    const security = list.get('security');
    const names = security && security.rc === 0 ? parseDnfSecurity(security.lines.join('\n')) : undefined;
    packages = parseDnf(text, names ?? new Set()).map((p) => (names ? p : { ...p, security: null }));
  }
  const reboot = list.get('reboot')?.lines.map((l) => l.trim()).find(Boolean);
  const refresh = list.get('refresh');
  const refreshFailed = refresh !== undefined && refresh.rc !== 0;
  return {
    manager,
    os: osName(list.get('os')?.lines ?? []),
    packages,
    rebootRequired: reboot === 'yes' ? true : reboot === 'no' ? false : null,
    refreshed: refresh !== undefined && !refreshFailed,
    refreshError: refreshFailed ? tail(refresh.lines.join('\n')).join(' ') || `exit ${refresh.rc}` : null,
  };
}

function osName(lines: string[]): string | null {
  const values = new Map<string, string>();
  for (const line of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) values.set(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ''));
  }
  return values.get('PRETTY_NAME') ?? values.get('NAME') ?? values.get('ID') ?? null;
}

function tail(text: string, n = 5): string[] {
  return detailLines(text, n);
}
