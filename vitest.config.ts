import { defineConfig } from 'vitest/config'

// One config for every suite: unit (memfs), runtime integration (real SQLite,
// PostgreSQL, MariaDB) and end to end (built CLI on copies of e2e-fixtures/).
// Database suites create their own database or schema per run, so files can
// run in parallel without colliding.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'e2e-fixtures/**', 'templates/**', 'bench/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
})
