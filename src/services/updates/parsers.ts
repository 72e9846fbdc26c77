/**
 * @module services/updates/parsers
 * Parsers for what each package manager prints about pending updates:
 * `apt list --upgradable`, `dnf check-update` and `dnf updateinfo list --security`,
 * `apk list --upgradable`, `pacman -Qu` / `checkupdates`. Lines that do not match
 * (headers, warnings) are skipped.
 */

/** One pending package update. */
export interface PendingPackage {
  name: string;
  /** Installed version; null when the manager does not say (dnf). */
  from: string | null;
  to: string;
  /** apt suite(s) or dnf repository, when known. */
  origin: string | null;
  /** True/false where the manager flags security updates (apt, dnf); null where it cannot (apk, pacman, PVE). */
  security: boolean | null;
}

const APT_LINE = /^([^\s/]+)\/(\S+)\s+(\S+)\s+(\S+)(?:\s+\[upgradable from:\s*([^\]]+)\])?/;

/** `apt list --upgradable`: `name/suite[,suite] version arch [upgradable from: old]`; security = a `-security` suite. */
export function parseApt(text: string): PendingPackage[] {
  const out: PendingPackage[] = [];
  for (const line of text.split('\n')) {
    const m = APT_LINE.exec(line.trim());
    if (!m) continue;
    const suites = (m[2] as string).split(',');
    out.push({ name: m[1] as string, from: m[5]?.trim() ?? null, to: m[3] as string, origin: m[2] as string, security: suites.some((s) => /-security$/.test(s)) });
  }
  return out;
}

/** `dnf check-update`: `name.arch version repo`, long names may wrap onto the next line; stops at "Obsoleting". */
export function parseDnf(text: string, securityNames: ReadonlySet<string>): PendingPackage[] {
  const out: PendingPackage[] = [];
  const tokens: string[] = [];
  for (const line of text.split('\n')) {
    if (/^(Obsoleting|Security:|Last metadata)/i.test(line.trim())) {
      if (/^Obsoleting/i.test(line.trim())) break;
      continue;
    }
    tokens.push(...line.trim().split(/\s+/).filter(Boolean));
    while (tokens.length >= 3) {
      const [nameArch = '', version = '', repo = ''] = tokens.splice(0, 3);
      const dot = nameArch.lastIndexOf('.');
      if (dot <= 0 || !/\d/.test(version)) continue;
      const name = nameArch.slice(0, dot);
      out.push({ name, from: null, to: version, origin: repo, security: securityNames.has(name) });
    }
  }
  return out;
}

const NEVRA = /^(.+)-(?:\d+:)?[^-]+-[^-]+\.(?:x86_64|noarch|aarch64|i686|armv7hl|ppc64le|s390x|riscv64)$/;

/** `dnf updateinfo list --security` (dnf4) or `dnf advisory list --security` (dnf5): the package names. */
export function parseDnfSecurity(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    for (const token of line.trim().split(/\s+/)) {
      const m = NEVRA.exec(token);
      if (m) names.add(m[1] as string);
    }
  }
  return names;
}

const APK_LINE = /^(\S+?)-(\d[^\s]*-r\d+)\s+\S+\s+\{[^}]*\}\s+\([^)]*\)\s+\[upgradable from:\s*(\S+)\]/;

/** `apk list --upgradable`: `name-ver-rN arch {origin} (license) [upgradable from: name-old-rN]`. */
export function parseApk(text: string): PendingPackage[] {
  const out: PendingPackage[] = [];
  for (const line of text.split('\n')) {
    const m = APK_LINE.exec(line.trim());
    if (!m) continue;
    const name = m[1] as string;
    const old = m[3] as string;
    out.push({ name, from: old.startsWith(`${name}-`) ? old.slice(name.length + 1) : old, to: m[2] as string, origin: null, security: null });
  }
  return out;
}

/** `pacman -Qu` / `checkupdates`: `name old -> new [ignored]`; ignored packages are left out. */
export function parsePacman(text: string): PendingPackage[] {
  const out: PendingPackage[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+->\s+(\S+)(\s+\[ignored\])?\s*$/.exec(line.trim());
    if (!m || m[4]) continue;
    out.push({ name: m[1] as string, from: m[2] as string, to: m[3] as string, origin: null, security: null });
  }
  return out;
}
