/**
 * A form's field error says each message once: a schema with one message for all its
 * checks (`vmid must be an integer from 100 to 999999999`) gives an issue per failed
 * check, and a VMID far too large fails two of them.
 */
import { describe, expect, it } from 'vitest';
import type { AnyOperation } from '../../../src/core/operation.js';
import { getRegistry } from '../../../src/services/index.js';
import { checkForm } from '../../../src/surfaces/web/form-check.js';

const start = getRegistry().get('pve.start') as AnyOperation;

describe('a form field\'s error', () => {
  it('says a message once when several checks fail with it', () => {
    expect(checkForm(start, { vmid: 1e20 })).toEqual({ ok: false, errors: { vmid: 'vmid must be an integer from 100 to 999999999' } });
    expect(checkForm(start, { vmid: 99 })).toEqual({ ok: false, errors: { vmid: 'vmid must be an integer from 100 to 999999999' } });
  });
});
