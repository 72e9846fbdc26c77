/**
 * @module services/updates/probe-script
 * The one POSIX shell script `updates check` sends to a target (on stdin of `sh -s`, so
 * the login shell's quoting never matters). It detects the package manager, optionally
 * refreshes the package lists, lists upgradable packages, asks for security advisories
 * where the manager has them, and checks for a pending reboot. Sections are marked with
 * `@@` lines for `parseProbe`. `$HOMELAB_SYSROOT` is empty on real hosts; the simulated
 * targets set it to their own root directory. The probe and the upgrade run in the C locale
 * (`LC_ALL=C`): a guest set to German would otherwise answer `[aktualisierbar von: …]`,
 * which no parser reads.
 */

/** The first line of the probe and of every upgrade command: the package managers answer in English. */
export const C_LOCALE = 'export LC_ALL=C LANG=C LANGUAGE=';

/** Package managers `updates` understands, in detection order. */
export const MANAGERS = ['apt', 'dnf', 'yum', 'apk', 'pacman'] as const;

/** A detected package manager. */
export type PackageManager = (typeof MANAGERS)[number];

/** The probe script; `refresh` first updates the package lists (needs root on the target). */
export function probeScript(refresh: boolean): string {
  return `${C_LOCALE}
R="\${HOMELAB_SYSROOT:-}"
REFRESH=${refresh ? 1 : 0}
mark() { printf '@@%s\\n' "$*"; }
pm=none
if command -v apt-get >/dev/null 2>&1; then pm=apt
elif command -v dnf >/dev/null 2>&1; then pm=dnf
elif command -v yum >/dev/null 2>&1; then pm=yum
elif command -v apk >/dev/null 2>&1; then pm=apk
elif command -v pacman >/dev/null 2>&1; then pm=pacman
fi
mark "pm $pm"
if [ -r "$R/etc/os-release" ]; then mark os; cat "$R/etc/os-release"; fi
case "$pm" in
  apt)
    if [ $REFRESH = 1 ]; then mark refresh; DEBIAN_FRONTEND=noninteractive apt-get update -qq 2>&1; mark "rc $?"; fi
    mark list; apt list --upgradable 2>&1; mark "rc $?"
    mark reboot; if [ -f "$R/var/run/reboot-required" ] || [ -f "$R/run/reboot-required" ]; then echo yes; else echo no; fi ;;
  dnf|yum)
    if [ $REFRESH = 1 ]; then mark refresh; $pm -q makecache 2>&1; mark "rc $?"; fi
    mark list; $pm -q check-update 2>/dev/null; mark "rc $?"
    mark security; $pm -q updateinfo list --security 2>/dev/null; mark "rc $?"
    mark reboot; $pm -q needs-restarting -r >/dev/null 2>&1; case $? in 0) echo no ;; 1) echo yes ;; *) echo unknown ;; esac ;;
  apk)
    if [ $REFRESH = 1 ]; then mark refresh; apk update -q 2>&1; mark "rc $?"; fi
    mark list; apk list --upgradable 2>/dev/null; mark "rc $?" ;;
  pacman)
    if [ $REFRESH = 1 ] && command -v checkupdates >/dev/null 2>&1; then
      mark refresh; mark "rc 0"
      mark list; checkupdates 2>/dev/null; rc=$?; [ $rc = 2 ] && rc=0; mark "rc $rc"
    else
      mark list; pacman -Qu 2>/dev/null; rc=$?; [ $rc = 1 ] && rc=0; mark "rc $rc"
    fi ;;
esac
mark end
`;
}

/** The command that applies every pending update with `manager`, non-interactively. */
export function applyCommand(manager: PackageManager): string {
  return `${C_LOCALE}; ${upgradeCommand(manager)}`;
}

function upgradeCommand(manager: PackageManager): string {
  switch (manager) {
    case 'apt':
      return 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade';
    case 'dnf':
    case 'yum':
      return `${manager} -y upgrade`;
    case 'apk':
      return 'apk update && apk upgrade';
    case 'pacman':
      return 'pacman -Syu --noconfirm';
  }
}
