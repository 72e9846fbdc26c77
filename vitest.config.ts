import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Writes docs/reliability.md from the fault suite's cells after a full run.
    globalSetup: ['test/faults/table.ts'],
    // Each test file gets its own user cache folder, never the developer's ~/.cache/homelab.
    // Simulators started by tests keep their whole request log (a running `homelab lab` keeps the last 1000).
    setupFiles: ['test/helpers/cache-home.ts', 'test/helpers/request-logs.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Simulators listen on ephemeral loopback ports, so files can run side by side.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
