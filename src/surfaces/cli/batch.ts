/**
 * @module surfaces/cli/batch
 * `homelab batch [file]` (being written).
 */
import { UsageError } from '../../core/errors.js';
import type { CliIo } from './main.js';

/** Runs a batch. */
export async function batchCommand(_words: string[], _io: CliIo): Promise<number> {
  throw new UsageError('homelab batch is not finished yet');
}
