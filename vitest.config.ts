import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start the built command, often several times; on a busy two-core machine that takes seconds.
    testTimeout: 60_000,
    // Compiled rubrics are cached between runs; the tests keep theirs apart from the user's own cache.
    env: { AUDIT_CACHE_DIR: path.join(tmpdir(), 'audit-test-rubric-cache') },
  },
});
