import { defineConfig } from 'vitest/config';

// One runner for every workspace: tests live beside the code they cover.
// Integration tests (*.int.test.ts) start their own Xvfb, servers or child
// processes, so they get longer timeouts and run in forked processes.
export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/.data/**'],
    pool: 'forks',
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
