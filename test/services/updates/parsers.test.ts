/**
 * The package-manager output parsers on output shaped like the real tools' (several
 * suites, wrapped dnf lines, dnf5 advisory tables, ignored pacman packages), and the
 * probe parser's handling of failed listings.
 */
import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../../src/services/updates/parse-probe.js';
import { parseApk, parseApt, parseDnf, parseDnfSecurity, parsePacman } from '../../../src/services/updates/parsers.js';

describe('package manager parsers', () => {
  it('apt: skips headers, reads several suites, flags any -security suite', () => {
    const text = [
      'Listing... Done',
      'libc6/noble-updates,noble-security 2.39-0ubuntu8.4 amd64 [upgradable from: 2.39-0ubuntu8.3]',
      'snapd/noble-updates 2.67.1+24.04 amd64 [upgradable from: 2.66.1+24.04]',
      'N: There is 1 additional version. Please use the \'-a\' switch to see it',
    ].join('\n');
    expect(parseApt(text)).toEqual([
      { name: 'libc6', from: '2.39-0ubuntu8.3', to: '2.39-0ubuntu8.4', origin: 'noble-updates,noble-security', security: true },
      { name: 'snapd', from: '2.66.1+24.04', to: '2.67.1+24.04', origin: 'noble-updates', security: false },
    ]);
  });

  it('dnf: joins wrapped lines and stops at Obsoleting Packages', () => {
    const text = [
      '',
      'NetworkManager-libnm.x86_64          1:1.46.0-2.fc40        updates',
      'python3-a-very-long-package-name-that-wraps.noarch',
      '                                     1.2.3-1.fc40           updates-testing',
      'Obsoleting Packages',
      'grub2-tools.x86_64                   1:2.06-121.fc40        updates',
    ].join('\n');
    const security = parseDnfSecurity('FEDORA-2024-0a1b2c3d4e Important/Sec. NetworkManager-libnm-1:1.46.0-2.fc40.x86_64');
    expect(parseDnf(text, security)).toEqual([
      { name: 'NetworkManager-libnm', from: null, to: '1:1.46.0-2.fc40', origin: 'updates', security: true },
      { name: 'python3-a-very-long-package-name-that-wraps', from: null, to: '1.2.3-1.fc40', origin: 'updates-testing', security: false },
    ]);
  });

  it('dnf5: reads package names from the advisory table', () => {
    const text = [
      'Name                 Type        Severity  Package                                  Issued',
      'FEDORA-2025-1a2b3c4d security    Important openssl-1:3.2.4-1.fc42.x86_64            2025-02-12 01:23:45',
      'FEDORA-2025-5e6f7a8b security    Moderate  python3-urllib3-2.3.0-2.fc42.noarch       2025-03-01 10:00:00',
    ].join('\n');
    expect([...parseDnfSecurity(text)].sort()).toEqual(['openssl', 'python3-urllib3']);
  });

  it('apk: splits name and version, strips the name from the old version', () => {
    const text = 'musl-utils-1.2.5-r10 x86_64 {musl} (MIT AND BSD-2-Clause AND GPL-2.0-or-later) [upgradable from: musl-utils-1.2.5-r9]';
    expect(parseApk(text)).toEqual([{ name: 'musl-utils', from: '1.2.5-r9', to: '1.2.5-r10', origin: null, security: null }]);
  });

  it('pacman: leaves out [ignored] packages', () => {
    expect(parsePacman('linux 6.15.2.arch1-1 -> 6.15.4.arch2-1\nnvidia 575.64-1 -> 575.64.03-1 [ignored]\n')).toEqual([
      { name: 'linux', from: '6.15.2.arch1-1', to: '6.15.4.arch2-1', origin: null, security: null },
    ]);
  });
});

describe('probe output', () => {
  it('turns a failed listing into an error with the output tail', () => {
    const stdout = '@@pm apt\n@@list\nE: Could not open lock file /var/lib/dpkg/lock-frontend\n@@rc 100\n@@reboot\nno\n@@end\n';
    expect(() => parseProbe('ssh web', stdout, '')).toThrow(/ssh web: listing updates with apt failed \(exit 100\)/);
  });

  it('says so when no package manager is found', () => {
    expect(() => parseProbe('ssh odd', '@@pm none\n@@end\n', '')).toThrow(/no supported package manager found/);
  });

  it('refuses output that stopped before the end marker', () => {
    expect(() => parseProbe('ssh cut', '@@pm apt\n@@list\n', 'Connection reset')).toThrow(/did not complete/);
  });

  it('keeps going when a refresh failed, and says so', () => {
    const stdout = '@@pm apt\n@@refresh\nE: Failed to fetch http://deb.debian.org/debian/dists/trixie/InRelease\n@@rc 100\n@@list\nListing...\n@@rc 0\n@@reboot\nyes\n@@end\n';
    expect(parseProbe('ssh web', stdout, '')).toMatchObject({ manager: 'apt', packages: [], refreshed: false, rebootRequired: true, refreshError: expect.stringMatching(/Failed to fetch/) });
  });
});
