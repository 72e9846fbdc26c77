/**
 * @module lab/ssh-target/fixtures
 * The package-manager fixtures a simulated target has on its PATH: small POSIX shell
 * scripts named `apt`/`apt-get`, `dnf`, `apk` or `pacman`/`checkupdates` that print what
 * the real tools print (same line formats), read the pending packages from a state file,
 * and empty it on upgrade. Files a real host has (`/etc/os-release`,
 * `/var/run/reboot-required`) live under the target's own root directory, which the
 * session sees as `$HOMELAB_SYSROOT`.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixturePackage, PackageManagerName, SshTargetProfile } from './profiles.js';
import { shellWord } from '../../core/shell-word.js';

/** Basic tools linked into the target's otherwise empty PATH. */
const BASIC_TOOLS = ['sh', 'cat', 'sleep', 'rm', 'uname'];

/** Writes the bin directory, state file and root files of a target under `dir`. */
export function writeFixtures(dir: string, profile: SshTargetProfile): { bin: string; root: string; state: string } {
  const bin = join(dir, 'bin');
  const root = join(dir, 'root');
  const state = join(dir, 'state');
  for (const d of [bin, state, join(root, 'etc'), join(root, 'var', 'run')]) mkdirSync(d, { recursive: true });
  for (const tool of BASIC_TOOLS) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (real) symlinkSync(real, join(bin, tool));
  }
  writeFileSync(join(state, 'packages'), profile.packages.map(packageLine).join(''));
  writeFileSync(join(root, 'etc', 'os-release'), `ID=${profile.os.id}\nPRETTY_NAME="${profile.os.prettyName}"\n`);
  if (profile.rebootRequired) writeFileSync(join(root, 'var', 'run', 'reboot-required'), '*** System restart required ***\n');
  const lib = [
    `STATE=${shellWord(join(state, 'packages'))}`,
    `REBOOT=${shellWord(join(root, 'var', 'run', 'reboot-required'))}`,
    `SLOW=${profile.slowSeconds ?? 0}`,
    'slow() { if [ "$SLOW" -gt 0 ]; then sleep "$SLOW"; fi; }',
    'count() { n=0; while IFS="|" read -r name _rest; do [ -n "$name" ] && n=$((n+1)); done < "$STATE"; echo $n; }',
    'upgraded() { while IFS="|" read -r name from to suite arch sec reboot; do [ "$reboot" = 1 ] && : > "$REBOOT"; done < "$STATE"; : > "$STATE"; }',
  ].join('\n');
  writeFileSync(join(dir, 'lib.sh'), `${lib}\n`);
  for (const [name, body] of Object.entries(SCRIPTS[profile.manager])) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\n. ${shellWord(join(dir, 'lib.sh'))}\n${body}`);
    chmodSync(file, 0o755);
  }
  return { bin, root, state };
}

/** One state-file line: `name|from|to|suite|arch|security|reboot`. */
export function packageLine(p: FixturePackage): string {
  return `${p.name}|${p.from}|${p.to}|${p.repo ?? 'stable'}|${p.arch ?? 'amd64'}|${p.security ? 1 : 0}|${p.reboot ? 1 : 0}\n`;
}

const LOOP = 'while IFS="|" read -r name from to suite arch sec reboot; do [ -n "$name" ] || continue;';

const APT = `case "$1" in
  list)
    echo "WARNING: apt does not have a stable CLI interface. Use with caution in scripts." >&2
    [ "$2" = "--upgradable" ] || { echo "E: the simulated apt only knows 'apt list --upgradable'" >&2; exit 100; }
    echo "Listing..."
    slow
    ${LOOP} echo "$name/$suite $to $arch [upgradable from: $from]"; done < "$STATE" ;;
  *) echo "E: the simulated apt only knows 'apt list --upgradable'" >&2; exit 100 ;;
esac
`;

const APT_GET = `for a in "$@"; do case "$a" in update|upgrade|dist-upgrade|full-upgrade) verb=$a ;; esac; done
case "$verb" in
  update)
    echo "Hit:1 http://deb.debian.org/debian trixie InRelease"
    echo "Hit:2 http://security.debian.org/debian-security trixie-security InRelease"
    echo "Reading package lists..." ;;
  upgrade|dist-upgrade|full-upgrade)
    echo "Reading package lists..."
    echo "Building dependency tree..."
    echo "Calculating upgrade..."
    echo "$(count) upgraded, 0 newly installed, 0 to remove and 0 not upgraded."
    ${LOOP} echo "Preparing to unpack .../\${name}_\${to}_\${arch}.deb ..."; echo "Unpacking $name ($to) over ($from) ..."; done < "$STATE"
    ${LOOP} echo "Setting up $name ($to) ..."; done < "$STATE"
    upgraded ;;
  *) echo "E: Invalid operation $1" >&2; exit 100 ;;
esac
`;

const DNF = `case " $* " in
  *" check-update "*)
    slow
    n=0
    ${LOOP} [ $n = 0 ] && echo ""; n=1; echo "$name.$arch    $to    $suite"; done < "$STATE"
    [ $n = 1 ] && exit 100; exit 0 ;;
  *" updateinfo "*)
    i=0
    ${LOOP} i=$((i+1)); [ "$sec" = 1 ] && echo "FEDORA-2026-00000000$i Important/Sec. $name-$to.$arch"; done < "$STATE"
    exit 0 ;;
  *" needs-restarting "*)
    if [ -f "$REBOOT" ]; then echo "Core libraries or services have been updated since boot-up:"; echo "Reboot is required to fully utilize these updates."; exit 1; fi
    echo "No core libraries or services have been updated since boot-up."; exit 0 ;;
  *" makecache "*) echo "Metadata cache created." ;;
  *" upgrade "*)
    echo "Dependencies resolved."
    ${LOOP} echo " Upgrading: $name-$to.$arch"; done < "$STATE"
    echo "Complete!"
    upgraded ;;
  *) echo "No such command: $*" >&2; exit 2 ;;
esac
`;

const APK = `case "$1" in
  list)
    slow
    ${LOOP} echo "$name-$to $arch {$name} (MIT) [upgradable from: $name-$from]"; done < "$STATE" ;;
  update) echo "fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64/APKINDEX.tar.gz"; echo "OK: 25 distinct packages available" ;;
  upgrade)
    total=$(count); i=0
    ${LOOP} i=$((i+1)); echo "($i/$total) Upgrading $name ($from -> $to)"; done < "$STATE"
    echo "OK: 25 MiB in 42 packages"
    upgraded ;;
  *) echo "apk: unknown applet $1" >&2; exit 1 ;;
esac
`;

const PACMAN = `case "$1" in
  -Qu)
    slow
    ${LOOP} echo "$name $from -> $to"; done < "$STATE" ;;
  -Syu)
    echo ":: Synchronizing package databases..."
    echo ":: Starting full system upgrade..."
    ${LOOP} echo "upgrading $name..."; done < "$STATE"
    upgraded ;;
  *) echo "error: the simulated pacman only knows -Qu and -Syu" >&2; exit 1 ;;
esac
`;

const CHECKUPDATES = `slow
${LOOP} echo "$name $from -> $to"; done < "$STATE"
`;

const SCRIPTS: Record<PackageManagerName, Record<string, string>> = {
  apt: { apt: APT, 'apt-get': APT_GET },
  dnf: { dnf: DNF },
  apk: { apk: APK },
  pacman: { pacman: PACMAN, checkupdates: CHECKUPDATES },
};
