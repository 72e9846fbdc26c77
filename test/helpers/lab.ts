/**
 * @module test/helpers/lab
 * Starts (part of) the simulated lab for a test file and stops it afterwards.
 */
import { afterAll, beforeAll } from 'vitest';
import { startLab, type LabOptions, type RunningLab } from '../../src/lab/lab.js';

/** A lab started in `beforeAll` and closed in `afterAll`; read `.current` inside tests. */
export function useLab(options: LabOptions = {}): { current: RunningLab } {
  const holder = {} as { current: RunningLab };
  beforeAll(async () => {
    holder.current = await startLab({ taskDurationMs: 300, ...options });
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder;
}
