/**
 * The CLI's progress spinner never shows a secret: a batch line or a progress note may hold
 * a stored secret (`dns add-txt name <token>`) that the result line hides, and the spinner
 * draws its note on the terminal for as long as the step runs.
 */
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../src/core/redact.js';
import { spinner } from '../../../src/surfaces/shared/terminal.js';

/** A terminal-like stream that keeps what was drawn on it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; drawn: () => string } {
  let drawn = '';
  const stream = { isTTY: true, columns: 200, write: (s: string) => { drawn += s; return true; } };
  return { stream: stream as unknown as NodeJS.WriteStream, drawn: () => drawn };
}

describe('spinner', () => {
  it('draws a note with a registered secret hidden, whole and at any width', () => {
    const secret = 'abd3b5a0289d7ec7e3b3cdd29ac21efb63c550ea83fc95e00c17f2be39d27317';
    registerSecret(secret);
    for (const columns of [200, 40]) {
      const { stream, drawn } = fakeTerminal();
      (stream as { columns: number }).columns = columns;
      const spin = spinner(stream);
      spin.update(`line 1: dns add-txt leak ${secret}`);
      spin.stop();
      expect(drawn()).not.toContain(secret.slice(0, 8));
      if (columns === 200) expect(drawn()).toContain('line 1: dns add-txt leak ***');
    }
  });
});
