/**
 * `HOMELAB_DEBUG=1` prints the stack of an unexpected error (one that is not a
 * HomelabError), redacted like every other line: a credential in the error's message
 * must not come back through its stack. The error is thrown from inside an operation
 * run through the CLI's `main`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../../src/core/redact.js';
import { auditOperation } from '../../src/services/audit/operations.js';
import { main, type CliIo } from '../../src/surfaces/cli/main.js';

const SECRET = 'debug-stack-secret-7f3a9c';
const originalRun = auditOperation.run.bind(auditOperation);
afterEach(() => { auditOperation.run = originalRun; });

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = { isTTY: false, write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe('HOMELAB_DEBUG stack trace', () => {
  it('is printed for an unexpected error, with secrets redacted', async () => {
    registerSecret(SECRET);
    auditOperation.run = () => Promise.reject(new TypeError(`cannot use ${SECRET} here`));
    const out = sink();
    const err = sink();
    const io: CliIo = { stdout: out.stream, stderr: err.stream, env: { HOMELAB_DEBUG: '1', NO_COLOR: '1', HOMELAB_DATA_HOME: '/nonexistent-homelab-data' }, stdinIsTTY: false };
    const code = await main(['audit'], '0.0.0', io);
    expect(code).toBe(1);
    expect(err.text()).toContain('homelab: cannot use *** here');
    expect(err.text()).toMatch(/TypeError: cannot use \*\*\* here\n\s+at /);
    expect(err.text()).not.toContain(SECRET);
  });
});
