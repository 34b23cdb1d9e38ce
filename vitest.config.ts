import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Type-level tests (expectTypeOf, @ts-expect-error): tsc checks them as part of every run.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
