/**
 * The ranking of failed parts' exit codes (docs/exit-codes.md): the owner's Ctrl-C first,
 * then unreachable, refused, misconfigured, bad input, and anything else as failed.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, worstExitCode } from '../../src/core/errors.js';

describe('worstExitCode', () => {
  it('is 0 only when nothing failed', () => {
    expect(worstExitCode([])).toBe(ExitCode.ok);
    expect(worstExitCode([0, 0])).toBe(ExitCode.ok);
  });

  it('ranks Ctrl-C (130) above every failure, then 4, 5, 3, 2, and any other code as 1', () => {
    expect(worstExitCode([1, 4, 130, 2])).toBe(ExitCode.interrupted);
    expect(worstExitCode([1, 2, 3, 5, 4])).toBe(ExitCode.unreachable);
    expect(worstExitCode([1, 2, 3, 5])).toBe(ExitCode.auth);
    expect(worstExitCode([2, 3, 1])).toBe(ExitCode.config);
    expect(worstExitCode([1, 2])).toBe(ExitCode.usage);
    expect(worstExitCode([0, 7])).toBe(ExitCode.failed);
  });
});
