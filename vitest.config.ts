import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start the built command, often several times; on a busy two-core machine that takes seconds.
    testTimeout: 60_000,
  },
});
