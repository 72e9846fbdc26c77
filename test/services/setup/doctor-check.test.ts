import { describe, expect, it } from 'vitest';
import { check } from '../../../src/services/setup/doctor/check.js';

describe('a doctor check quoting a server', () => {
  it('keeps one clean line: no escape sequences, no line breaks, no page', () => {
    const c = check('dns', 'token', 'fail', `DNS_TOKEN refused: \x1b[2J\x1b[31mred\x1b[0m\nsecond line ${'x'.repeat(10_000)}`);
    expect(c.detail).toMatch(/^DNS_TOKEN refused: red second line x+…$/);
    expect(c.detail).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(c.detail.length).toBeLessThanOrEqual(300);
  });
});
