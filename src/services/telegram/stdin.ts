/**
 * @module services/telegram/stdin
 * `telegram send` without text reads its message from standard input, so cron jobs
 * can pipe into it. Only on the CLI, only when stdin is not a terminal, and at most
 * 1 MB.
 */
import { UsageError } from '../../core/errors.js';

const MAX_STDIN = 1_000_000;

/** Reads all of `stream` as UTF-8 text; refuses a terminal and more than 1 MB. */
export async function readStdinText(stream: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stream.isTTY) throw new UsageError('nothing to send: give the text as arguments or pipe it on stdin', 'e.g. echo "backup done" | homelab telegram send');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_STDIN) throw new UsageError('stdin is longer than 1 MB; send a file instead');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
