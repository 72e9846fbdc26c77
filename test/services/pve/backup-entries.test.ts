/**
 * What a backup volume id says about its guest, as PVE reads it: a PBS snapshot must carry
 * a real UTC time; a vzdump file is `vzdump-(qemu|lxc|openvz)-<vmid>-<anything>.<ext>`
 * (renamed by hand too), its time checked only when the name has the standard form.
 */
import { describe, expect, it } from 'vitest';
import { parseBackupVolid } from '../../../src/services/pve/backup-entries.js';

describe('parseBackupVolid', () => {
  it.each([
    ['pbs:backup/vm/201/2026-12-04T02:00:00Z', { storage: 'pbs', type: 'qemu', vmid: 201 }],
    ['pbs:backup/ct/107/2024-02-29T23:59:59Z', { storage: 'pbs', type: 'lxc', vmid: 107 }],
    ['local:backup/vzdump-qemu-201-2026_12_04-02_00_00.vma.zst', { storage: 'local', type: 'qemu', vmid: 201 }],
    ['local:backup/vzdump-qemu-201-before-upgrade.vma.zst', { storage: 'local', type: 'qemu', vmid: 201 }],
    ['nas:backup/vzdump-lxc-107-2026_12_04.tar.gz', { storage: 'nas', type: 'lxc', vmid: 107 }],
    ['local:backup/vzdump-lxc-107-2026_13_04-02_00_00-copy.tar', { storage: 'local', type: 'lxc', vmid: 107 }],
    ['local:backup/vzdump-openvz-105-old.tgz', { storage: 'local', type: 'lxc', vmid: 105 }],
    ['local:backup/vzdump-qemu-300-x.vma', { storage: 'local', type: 'qemu', vmid: 300 }],
  ])('%s', (volid, expected) => {
    expect(parseBackupVolid(volid)).toEqual(expected);
  });

  it.each([
    'pbs:backup/vm/201/garbage',
    'pbs:backup/vm/201/2026-13-04T02:00:00Z',
    'pbs:backup/vm/201/2026-02-30T02:00:00Z',
    'pbs:backup/vm/201/2026-12-04T02:00:00Z-renamed',
    'local:backup/vzdump-qemu-201-2026_02_30-02_00_00.vma.zst',
    'local:backup/vzdump-qemu-201-2026_12_04-25_00_00.vma',
    'local:backup/vzdump-qemu-201-.vma.zst',
    'local:backup/vzdump-qemu-201-x.vma.xz',
    'local:backup/vzdump-qemu-201-x.iso',
    'local:backup/vzdump-qemu-201-a/b.vma',
    'local:backup/vzdump-kvm-201-x.vma',
    'local:backup/vzdump-qemu-abc-x.vma',
    'local:iso/vzdump-qemu-201-x.vma',
    'not-a-volid',
  ])('refuses %s', (volid) => {
    expect(parseBackupVolid(volid)).toBeUndefined();
  });
});
