/**
 * UPIDs as PVE's own decoder takes them: type, id and user hold anything but `:` and white
 * space (a `/` too, as a storage task's id may), and never a control character, so an
 * escape sequence is no task id; PBS's extra task-id field is read too.
 */
import { describe, expect, it } from 'vitest';
import { parseUpid } from '../../../src/services/proxmox/upid.js';

const HEAD = 'UPID:pve1:0012A3F4:04B2C3D1:67F0A1B2';

describe('parseUpid', () => {
  it('reads PVE and PBS task ids, with a / in type, id or user as PVE allows', () => {
    expect(parseUpid(`${HEAD}:qmstart:100:root@pam:`)).toEqual({ upid: `${HEAD}:qmstart:100:root@pam:`, node: 'pve1', starttime: 0x67f0a1b2, type: 'qmstart', id: '100', user: 'root@pam' });
    expect(parseUpid(`${HEAD}:aptupdate::root@pam:`)?.id).toBe('');
    expect(parseUpid(`${HEAD}:imgcopy:local/iso:root@pam!tok:`)).toMatchObject({ type: 'imgcopy', id: 'local/iso', user: 'root@pam!tok' });
    expect(parseUpid(`${HEAD}:a/b:100:us/er@pve:`)).toMatchObject({ type: 'a/b', user: 'us/er@pve' });
    expect(parseUpid('UPID:pbs:000003E8:0000BEEF:00000001:67F0A1B2:verify:store1\\x2fvm-100:root@pam:')).toMatchObject({ node: 'pbs', type: 'verify', id: 'store1\\x2fvm-100' });
  });

  it('refuses control characters, white space and anything that is not a UPID', () => {
    for (const bad of [`${HEAD}:qm\u001bstart:100:root@pam:`, `${HEAD}:qmstart:1\u0007:root@pam:`, `${HEAD}:qmstart:100:root\u0085@pam:`, `${HEAD}:qmstart:1 0:root@pam:`,
      `${HEAD}:qmstart:100:root@pam\u007f:`, 'UPID:evil\u001b[2J', 'UPID:pve1:nonsense', `${HEAD}:qmstart:100:root@pam`]) {
      expect(parseUpid(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
