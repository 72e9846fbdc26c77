import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Simulators listen on ephemeral loopback ports, so files can run side by side.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
