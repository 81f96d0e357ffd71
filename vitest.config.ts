import { defineConfig } from 'vitest/config';

// Unit, scenario and simulation tests live next to their source as *.test.ts. Browser tests are
// Playwright's (e2e/, playwright.config.ts) and are not collected here.
export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'app/**/*.test.ts', 'server/**/*.test.ts', 'lab/**/*.test.ts', 'scripts/**/*.test.ts', 'admin/**/*.test.ts'],
    pool: 'forks',
    // Both cores: many suites wait on real processes and sockets, so two workers finish far sooner.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
