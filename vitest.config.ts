import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/shop/**/*.test.ts', 'examples/**/*.test.{ts,mjs}'],
          exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        // The reference collector (examples/collector) against real SQLite files.
        // Its `goalpost/schema` import resolves to the source here, so these tests need no build;
        // test/collector/script.test.ts runs it as a plain Node script against dist/ as users do.
        resolve: { alias: { 'goalpost/schema': fileURLToPath(new URL('./src/schema.ts', import.meta.url)) } },
        test: {
          name: 'collector',
          include: ['test/collector/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts', 'test/shop/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time: the machine has 2 cores and timing-based tests get flaky when they compete.
          fileParallelism: false,
        },
      },
    ],
  },
});
